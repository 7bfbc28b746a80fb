import type { QuizAttempt, QuizResult } from '@cds/contract';
import { useState, type FormEvent } from 'react';
import * as api from './api';
import type { SessionState } from './app';
import { paths } from './routes';
import { ErrorBox, Link, PageTitle, Show, errorText } from './ui';
import { useLoad } from './use-load';

export function QuizScreen(props: { slug: string; session: SessionState }) {
  const [round, setRound] = useState(0);
  const [result, setResult] = useState<QuizResult | null>(null);
  const attempt = useLoad(() => api.startQuiz(props.slug), `quiz:${props.slug}:${round}`);
  if (!props.session.me) {
    return (
      <>
        <PageTitle>Bài kiểm tra</PageTitle>
        <Link to={paths.signIn(paths.quiz(props.slug))} className="l-btn">
          Đăng nhập để làm bài
        </Link>
      </>
    );
  }
  if (result) {
    return (
      <ResultView
        slug={props.slug}
        result={result}
        onRetry={() => {
          setResult(null);
          setRound((n) => n + 1);
        }}
      />
    );
  }
  return <Show loaded={attempt}>{(a) => <QuizForm attempt={a} onDone={setResult} />}</Show>;
}

function QuizForm({ attempt, onDone }: { attempt: QuizAttempt; onDone: (r: QuizResult) => void }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const missing = attempt.questions.filter((q) => !answers[q.id]).length;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (missing > 0) {
      setProblem(`Bạn còn ${missing} câu chưa chọn đáp án.`);
      return;
    }
    setSending(true);
    setProblem(null);
    try {
      onDone(await api.submitQuiz(attempt.courseSlug, attempt.id, Object.entries(answers).map(([questionId, optionKey]) => ({ questionId, optionKey }))));
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setSending(false);
    }
  };
  return (
    <>
      <p className="l-crumb">
        <Link to={paths.course(attempt.courseSlug)}>‹ Về khoá học</Link>
      </p>
      <PageTitle sub={`${attempt.questions.length} câu · cần đúng ${attempt.passPercent}% để đạt`}>Bài kiểm tra</PageTitle>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {attempt.questions.map((q, i) => (
          <fieldset key={q.id} className="l-card l-question">
            <legend>
              <span className="l-qnum">Câu {i + 1}.</span> {q.text}
            </legend>
            {q.options.map((o) => (
              <label key={o.key} className={answers[q.id] === o.key ? 'chosen' : undefined}>
                <input type="radio" name={q.id} value={o.key} checked={answers[q.id] === o.key} onChange={() => setAnswers((a) => ({ ...a, [q.id]: o.key }))} />
                <span>{o.text}</span>
              </label>
            ))}
          </fieldset>
        ))}
        {problem && <ErrorBox error={new Error(problem)} />}
        <button type="submit" className="l-btn big" disabled={sending}>
          {sending ? 'Đang chấm…' : 'Nộp bài'}
        </button>
      </form>
    </>
  );
}

function ResultView({ slug, result, onRetry }: { slug: string; result: QuizResult; onRetry: () => void }) {
  return (
    <>
      <PageTitle sub={`Đúng ${result.correct}/${result.total} câu (${result.scorePercent}%)`}>{result.passed ? 'Chúc mừng, bạn đã đạt!' : 'Chưa đạt, bạn thử lại nhé'}</PageTitle>
      {result.passed && result.certificateCode ? (
        <section className="l-card l-cert" aria-labelledby="cert-title">
          <h2 id="cert-title">Giấy chứng nhận của bạn</h2>
          <p>
            Mã xác minh: <strong className="l-code">{result.certificateCode}</strong>
          </p>
          <p className="l-actions">
            <a className="l-btn" href={`/api/certificates/${result.certificateCode}/pdf`} download>
              Tải giấy chứng nhận (PDF)
            </a>
            <Link to={paths.verify(result.certificateCode)} className="l-btn secondary">
              Xem trang xác minh
            </Link>
          </p>
          {result.pathCertificateCode && (
            <p className="l-alert ok">
              Bạn đã hoàn thành cả lộ trình <strong>Kỹ năng số cơ bản</strong>! Mã giấy chứng nhận lộ trình: <strong className="l-code">{result.pathCertificateCode}</strong>{' '}
              <a href={`/api/certificates/${result.pathCertificateCode}/pdf`} download>
                Tải PDF
              </a>
            </p>
          )}
        </section>
      ) : (
        <p className="l-actions">
          <button type="button" className="l-btn" onClick={onRetry}>
            Làm lại (câu hỏi mới)
          </button>
          <Link to={paths.course(slug)} className="l-btn secondary">
            Xem lại bài học
          </Link>
        </p>
      )}
      <h2>Xem lại từng câu</h2>
      {!result.passed && <p className="l-muted">Đáp án đúng được hiện khi bạn đạt; hãy đọc lời giải thích và xem lại bài học.</p>}
      <ol className="l-review">
        {result.review.map((r) => (
          <li key={r.questionId} className={r.right ? 'right' : 'wrong'}>
            <p>
              <strong>{r.right ? '✓ Đúng' : '✗ Chưa đúng'}:</strong> {r.text}
            </p>
            {!r.right && r.correctText && <p>Đáp án đúng: {r.correctText}</p>}
            <p className="l-muted">{r.explanation}</p>
          </li>
        ))}
      </ol>
    </>
  );
}
