import { randomInt } from 'node:crypto';
import type { QuizAnswers, QuizAttempt, QuizResult } from '@cds/contract';
import { quizAttempts } from '@cds/db';
import { OPTION_KEYS, drawQuiz, gradeQuiz, quizOpen } from '@cds/domain';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { issueForPass } from './certificates.service.ts';
import { coursesOf, findCourse, lessonsDoneBy } from './courses.service.ts';

/** An attempt left open is taken up again (on any device) for this long, then a new one is drawn. */
const RESUME_HOURS = 24;

/**
 * Starts a quiz attempt, or resumes the open one: questions drawn from the bank and options
 * shuffled on the server, which keeps what it showed and grades against that. Retries are free;
 * each new attempt is a new draw.
 */
export async function startQuiz(deps: AppDeps, actor: Actor, slug: string): Promise<QuizAttempt> {
  const course = await findCourse(deps, slug);
  const done = (await lessonsDoneBy(deps, actor.userId, slug)).get(slug) ?? new Set<string>();
  if (!quizOpen(course.lessons.map((l) => l.slug), done)) throw new AppError('QUIZ_LOCKED');
  const [open] = await deps.db
    .select()
    .from(quizAttempts)
    .where(
      and(
        eq(quizAttempts.userId, actor.userId),
        eq(quizAttempts.courseSlug, slug),
        isNull(quizAttempts.submittedAt),
        gt(quizAttempts.startedAt, sql`now() - make_interval(hours => ${RESUME_HOURS})`),
      ),
    )
    .orderBy(desc(quizAttempts.id))
    .limit(1);
  const bankIds = new Set(course.quiz.questions.map((q) => q.id));
  // A deployment may have changed the bank since: an attempt naming a question no longer there is redrawn.
  const attempt =
    open && open.shown.every((s) => bankIds.has(s.id))
      ? open
      : (
          await deps.db
            .insert(quizAttempts)
            .values({ userId: actor.userId, courseSlug: slug, shown: drawQuiz(course.quiz.questions, course.course.quiz.questionsPerAttempt, (n) => randomInt(n)) })
            .returning()
        )[0];
  if (!attempt) throw new AppError('INTERNAL');
  const byId = new Map(course.quiz.questions.map((q) => [q.id, q]));
  return {
    id: attempt.id,
    courseSlug: slug,
    passPercent: course.course.quiz.passPercent,
    questions: attempt.shown.map((shown) => {
      const question = byId.get(shown.id);
      if (!question) throw new AppError('INTERNAL');
      return { id: shown.id, text: question.text, options: shown.order.map((bankIndex, i) => ({ key: OPTION_KEYS[i] ?? '?', text: question.options[bankIndex]?.text ?? '' })) };
    }),
  };
}

/** Grades an attempt once; a pass issues the certificate (and the path's) in the same transaction. */
export async function submitQuiz(deps: AppDeps, actor: Actor, slug: string, attemptId: number, body: QuizAnswers): Promise<QuizResult> {
  const catalogue = await coursesOf(deps);
  const course = await findCourse(deps, slug);
  return deps.db.transaction(async (tx) => {
    const [attempt] = await tx
      .select()
      .from(quizAttempts)
      .where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, actor.userId), eq(quizAttempts.courseSlug, slug)))
      .for('update');
    if (!attempt) throw new AppError('NOT_FOUND');
    if (attempt.submittedAt) throw new AppError('ATTEMPT_SUBMITTED');
    // A deployment changed the bank while the attempt was open: it cannot be graded as shown.
    const bankIds = new Set(course.quiz.questions.map((q) => q.id));
    if (!attempt.shown.every((s) => bankIds.has(s.id))) throw new AppError('ATTEMPT_SUBMITTED', undefined, 'Bộ câu hỏi vừa được cập nhật; hãy làm lượt mới');
    const grade = gradeQuiz(course.quiz.questions, attempt.shown, body.answers, course.course.quiz.passPercent);
    await tx
      .update(quizAttempts)
      .set({ submittedAt: new Date(), answers: body.answers, correct: grade.correct, total: grade.total, scorePercent: grade.scorePercent, passed: grade.passed })
      .where(eq(quizAttempts.id, attempt.id));
    const issued = grade.passed ? await issueForPass(deps, tx, actor, catalogue, course, attempt.id) : null;
    await recordAudit(tx, actor, { action: 'quiz_submitted', recordType: 'quiz_attempt', recordIds: [attempt.id], detail: { course: slug, scorePercent: grade.scorePercent, passed: grade.passed } });
    return {
      attemptId: attempt.id,
      correct: grade.correct,
      total: grade.total,
      scorePercent: grade.scorePercent,
      passed: grade.passed,
      review: grade.passed ? grade.review : grade.review.map((r) => ({ ...r, correctKey: null, correctText: null })),
      certificateCode: issued?.courseCode ?? null,
      pathCertificateCode: issued?.pathCode ?? null,
    };
  });
}
