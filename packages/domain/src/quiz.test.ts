import { describe, expect, it } from 'vitest';
import { drawQuiz, gradeQuiz, openLessons, quizOpen, OPTION_KEYS, type BankQuestion } from './quiz.ts';
import { createRandom } from './synthetic-random.ts';

const bank: BankQuestion[] = Array.from({ length: 10 }, (_, i) => ({
  id: `q${i}`,
  text: `Câu ${i}`,
  options: [
    { text: `đúng ${i}`, correct: true },
    { text: `sai ${i}.1`, correct: false },
    { text: `sai ${i}.2`, correct: false },
  ],
  explanation: `Vì ${i}`,
}));

const seeded = (seed: number) => {
  const random = createRandom(seed);
  return (n: number) => random.int(0, n - 1);
};

/** The key under which the right option of a drawn question was shown. */
const rightKey = (drawn: { id: string; order: number[] }) => OPTION_KEYS[drawn.order.indexOf(0)] as string;

describe('drawing a quiz', () => {
  it('draws the asked number of distinct questions, each with a permutation of its options', () => {
    const drawn = drawQuiz(bank, 6, seeded(1));
    expect(drawn).toHaveLength(6);
    expect(new Set(drawn.map((d) => d.id)).size).toBe(6);
    for (const d of drawn) expect([...d.order].sort()).toEqual([0, 1, 2]);
  });

  it('shuffles: over many draws every question and every option position comes up', () => {
    const seenIds = new Set<string>();
    const rightPositions = new Set<number>();
    const random = seeded(7);
    for (let i = 0; i < 50; i++) {
      for (const d of drawQuiz(bank, 4, random)) {
        seenIds.add(d.id);
        rightPositions.add(d.order.indexOf(0));
      }
    }
    expect(seenIds.size).toBe(10);
    expect(rightPositions).toEqual(new Set([0, 1, 2]));
  });

  it('refuses to draw more questions than the bank holds', () => {
    expect(() => drawQuiz(bank, 11, seeded(1))).toThrow(/không đủ 11/);
  });
});

describe('grading', () => {
  const shown = drawQuiz(bank, 5, seeded(3));

  it('counts right answers by the key shown in this attempt, not by the bank order', () => {
    const answers = shown.map((d) => ({ questionId: d.id, optionKey: rightKey(d) }));
    const grade = gradeQuiz(bank, shown, answers, 80);
    expect(grade).toMatchObject({ correct: 5, total: 5, scorePercent: 100, passed: true });
    expect(grade.review.every((r) => r.right && r.correctText.startsWith('đúng'))).toBe(true);
  });

  it('passes at exactly the pass mark and fails one answer below it', () => {
    const answers = shown.map((d, i) => ({ questionId: d.id, optionKey: i === 0 ? (rightKey(d) === 'a' ? 'b' : 'a') : rightKey(d) }));
    expect(gradeQuiz(bank, shown, answers, 80)).toMatchObject({ correct: 4, scorePercent: 80, passed: true });
    const twoWrong = answers.map((a, i) => (i === 1 ? { ...a, optionKey: rightKey(shown[1]!) === 'a' ? 'b' : 'a' } : a));
    expect(gradeQuiz(bank, shown, twoWrong, 80)).toMatchObject({ correct: 3, scorePercent: 60, passed: false });
  });

  it('never rounds a score up to a pass: 4 of 6 is 66%, below 70', () => {
    const six = drawQuiz(bank, 6, seeded(4));
    const answers = six.map((d, i) => ({ questionId: d.id, optionKey: i < 4 ? rightKey(d) : rightKey(d) === 'a' ? 'b' : 'a' }));
    expect(gradeQuiz(bank, six, answers, 67)).toMatchObject({ correct: 4, scorePercent: 66, passed: false });
  });

  it('counts missing answers, unknown keys, questions not shown and second answers as nothing', () => {
    const first = shown[0]!;
    const wrong = rightKey(first) === 'a' ? 'b' : 'a';
    const answers = [
      { questionId: first.id, optionKey: wrong },
      { questionId: first.id, optionKey: rightKey(first) }, // a second try at the same question
      { questionId: shown[1]!.id, optionKey: 'd' }, // only three options were shown
      { questionId: 'q-not-shown', optionKey: 'a' },
    ];
    const grade = gradeQuiz(bank, shown, answers, 80);
    expect(grade.correct).toBe(0);
    expect(grade.review[0]).toMatchObject({ chosenKey: wrong, right: false });
    expect(grade.review[1]).toMatchObject({ chosenKey: null, right: false });
    expect(grade.review[2]).toMatchObject({ chosenKey: null, right: false });
  });
});

describe('lessons in order', () => {
  const lessons = ['a', 'b', 'c'];
  it('opens the first lesson, and each next one only after the one before it is done', () => {
    expect(openLessons(lessons, new Set())).toEqual([true, false, false]);
    expect(openLessons(lessons, new Set(['a']))).toEqual([true, true, false]);
    // A later lesson done out of order (an older course version) does not open a gap.
    expect(openLessons(lessons, new Set(['c']))).toEqual([true, false, false]);
  });
  it('opens the quiz only when every lesson is done', () => {
    expect(quizOpen(lessons, new Set(['a', 'b']))).toBe(false);
    expect(quizOpen(lessons, new Set(['a', 'b', 'c']))).toBe(true);
  });
});
