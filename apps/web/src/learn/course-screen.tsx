import * as api from './api';
import type { SessionState } from './app';
import { paths } from './routes';
import { Link, PageTitle, ProgressBar, Show } from './ui';
import { useLoad } from './use-load';

export function CourseScreen(props: { slug: string; session: SessionState }) {
  const { me } = props.session;
  const detail = useLoad(() => api.course(props.slug), `course:${props.slug}:${me?.id ?? 0}`);
  return (
    <Show loaded={detail}>
      {(c) => {
        const done = c.lessons.filter((l) => l.done).length;
        const next = c.lessons.find((l) => l.open && !l.done);
        const quizOpen = me !== null && done === c.lessons.length;
        return (
          <>
            <p className="l-crumb">
              <Link to={paths.courses}>Khoá học</Link> ›
            </p>
            <PageTitle sub={c.summary}>{c.title}</PageTitle>
            {me && <ProgressBar done={done} total={c.lessons.length} label="Số bài đã học" />}
            {me && (
              <p className="l-muted">
                Đã học {done}/{c.lessons.length} bài
                {c.attempts > 0 && ` · đã làm bài kiểm tra ${c.attempts} lần, điểm cao nhất ${c.bestScorePercent ?? 0}%`}
              </p>
            )}
            {next && (
              <p>
                <Link to={paths.lesson(c.slug, next.slug)} className="l-btn">
                  {done === 0 ? 'Bắt đầu học' : 'Học tiếp'}: Bài {next.index}
                </Link>
              </p>
            )}
            <ol className="l-lessons">
              {c.lessons.map((l) => (
                <li key={l.slug} className={l.done ? 'done' : l.open ? 'open' : 'locked'}>
                  <span className="l-lesson-mark" aria-hidden="true">
                    {l.done ? '✓' : l.index}
                  </span>
                  {l.open ? <Link to={paths.lesson(c.slug, l.slug)}>{l.title}</Link> : <span>{l.title}</span>}
                  <span className="l-meta">
                    {l.minutes} phút{l.done ? ' · đã học' : l.open ? '' : ' · mở khi học xong bài trước'}
                  </span>
                </li>
              ))}
            </ol>
            <section className="l-card" aria-labelledby="quiz-title">
              <h2 id="quiz-title">Bài kiểm tra</h2>
              <p>
                {c.quiz.questionsPerAttempt} câu hỏi, cần đúng {c.quiz.passPercent}% để đạt. Làm lại bao nhiêu lần cũng được; mỗi lần câu hỏi được xáo trộn.
              </p>
              {c.progress?.certificateCode ? (
                <p className="l-alert ok">
                  Bạn đã đạt khoá học này. <Link to={paths.me}>Xem giấy chứng nhận</Link>
                </p>
              ) : quizOpen ? (
                <Link to={paths.quiz(c.slug)} className="l-btn">
                  Làm bài kiểm tra
                </Link>
              ) : (
                <p className="l-muted">{me ? 'Mở khi bạn học xong tất cả các bài.' : 'Đăng nhập và học xong các bài để làm bài kiểm tra.'}</p>
              )}
            </section>
            {!me && (
              <p>
                <Link to={paths.signIn(paths.course(c.slug))} className="l-btn secondary">
                  Đăng nhập để lưu tiến độ
                </Link>
              </p>
            )}
          </>
        );
      }}
    </Show>
  );
}
