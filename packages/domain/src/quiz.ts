/**
 * Quizzes of "Bình dân học vụ số": drawing an attempt from a course's question bank, and grading
 * it against exactly what was shown. Pure, so scoring and mastery are tested without a server.
 */

export interface BankQuestion {
  id: string;
  text: string;
  options: readonly { text: string; correct: boolean }[];
  explanation: string;
}

/** One drawn question: its id and the bank's option indexes in the order shown. */
export interface DrawnQuestion {
  id: string;
  order: number[];
}

/** Option keys as shown: a, b, c, d. They name positions in this attempt, never the bank's order. */
export const OPTION_KEYS = ['a', 'b', 'c', 'd'] as const;

/** A uniform integer in [0, n); the caller passes crypto.randomInt in production, a seeded one in tests. */
export type RandomIndex = (n: number) => number;

function shuffled<T>(items: readonly T[], random: RandomIndex): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `count` questions drawn without repetition, in random order, each with its options shuffled. */
export function drawQuiz(bank: readonly BankQuestion[], count: number, random: RandomIndex): DrawnQuestion[] {
  if (count > bank.length) throw new Error(`Ngân hàng có ${bank.length} câu, không đủ ${count}`);
  return shuffled(bank, random)
    .slice(0, count)
    .map((q) => ({ id: q.id, order: shuffled(q.options.map((_, i) => i), random) }));
}

export interface QuizGrade {
  correct: number;
  total: number;
  scorePercent: number;
  passed: boolean;
  review: {
    questionId: string;
    text: string;
    chosenKey: string | null;
    correctKey: string;
    correctText: string;
    right: boolean;
    explanation: string;
  }[];
}

/**
 * Grades answers (question id → option key) against the questions as shown. An unanswered
 * question, an answer to a question not shown or a key that was not an option counts as wrong;
 * answering one question twice keeps the first answer, so resending cannot improve a score.
 * Passing needs at least passPercent of the questions right (rounded down, never up).
 */
export function gradeQuiz(
  bank: readonly BankQuestion[],
  shown: readonly DrawnQuestion[],
  answers: readonly { questionId: string; optionKey: string }[],
  passPercent: number,
): QuizGrade {
  const byId = new Map(bank.map((q) => [q.id, q]));
  const chosen = new Map<string, string>();
  for (const a of answers) if (!chosen.has(a.questionId)) chosen.set(a.questionId, a.optionKey);
  const review = shown.map((drawn) => {
    const question = byId.get(drawn.id);
    if (!question) throw new Error(`Câu hỏi ${drawn.id} không còn trong ngân hàng`);
    const correctPosition = drawn.order.findIndex((bankIndex) => question.options[bankIndex]?.correct);
    const correctKey = OPTION_KEYS[correctPosition] ?? 'a';
    const chosenKey = chosen.get(drawn.id) ?? null;
    const validKey = chosenKey !== null && OPTION_KEYS.indexOf(chosenKey as (typeof OPTION_KEYS)[number]) >= 0 && OPTION_KEYS.indexOf(chosenKey as (typeof OPTION_KEYS)[number]) < drawn.order.length;
    return {
      questionId: drawn.id,
      text: question.text,
      chosenKey: validKey ? chosenKey : null,
      correctKey,
      correctText: question.options[drawn.order[correctPosition] ?? 0]?.text ?? '',
      right: validKey && chosenKey === correctKey,
      explanation: question.explanation,
    };
  });
  const correct = review.filter((r) => r.right).length;
  const total = shown.length;
  const scorePercent = total === 0 ? 0 : Math.floor((correct * 100) / total);
  // Compared in whole answers, so 80% of 6 questions needs 5 (4.8 rounded up), never 4.
  const passed = total > 0 && correct * 100 >= passPercent * total;
  return { correct, total, scorePercent, passed, review };
}

/** Lessons are taken in order: lesson i (0-based) is open when every lesson before it is done. */
export function openLessons(lessonSlugs: readonly string[], done: ReadonlySet<string>): boolean[] {
  let open = true;
  return lessonSlugs.map((slug) => {
    const thisOpen = open;
    if (!done.has(slug)) open = false;
    return thisOpen;
  });
}

/** The quiz opens once every lesson is done. */
export function quizOpen(lessonSlugs: readonly string[], done: ReadonlySet<string>): boolean {
  return lessonSlugs.every((slug) => done.has(slug));
}
