import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIORITY_CODES, circumstancesOf, priorityScore, type PriorityRuleData } from './device-priority.ts';

const RULES: PriorityRuleData[] = [
  { code: 'poor', label: 'Hộ nghèo', points: 40, active: true },
  { code: 'near_poor', label: 'Hộ cận nghèo', points: 25, active: true },
  { code: 'elderly_alone', label: 'Người cao tuổi sống một mình', points: 20, active: true },
  { code: 'disability', label: 'Người khuyết tật', points: 20, active: true },
  { code: 'pupil', label: 'Học sinh', points: 10, active: true },
  { code: 'single_parent', label: 'Cha/mẹ đơn thân', points: 15, active: true },
];

describe('device priority', () => {
  it('gives a poor household of an elderly person living alone both reasons, highest first', () => {
    const result = priorityScore({ poverty: 'poor', livingMemberAges: [78], stated: [] }, RULES);
    expect(result).toEqual({
      score: 60,
      reasons: [
        { code: 'poor', label: 'Hộ nghèo', points: 40 },
        { code: 'elderly_alone', label: 'Người cao tuổi sống một mình', points: 20 },
      ],
    });
  });

  it('counts elderly living alone only from 70, and only when alone', () => {
    expect(circumstancesOf({ poverty: 'none', livingMemberAges: [69], stated: [] }).has('elderly_alone')).toBe(false);
    expect(circumstancesOf({ poverty: 'none', livingMemberAges: [70], stated: [] }).has('elderly_alone')).toBe(true);
    expect(circumstancesOf({ poverty: 'none', livingMemberAges: [75, 72], stated: [] }).has('elderly_alone')).toBe(false);
    expect(circumstancesOf({ poverty: 'none', livingMemberAges: [null], stated: [] }).has('elderly_alone')).toBe(false);
  });

  it('takes disability, pupil and single parent from what a request states', () => {
    const result = priorityScore({ poverty: 'near_poor', livingMemberAges: [40, 12], stated: ['single_parent', 'pupil'] }, RULES);
    expect(result.score).toBe(25 + 15 + 10);
    expect(result.reasons.map((r) => r.code)).toEqual(['near_poor', 'single_parent', 'pupil']);
  });

  it('leaves out rules the city switched off or set to zero', () => {
    const rules = RULES.map((r) => (r.code === 'poor' ? { ...r, active: false } : r.code === 'pupil' ? { ...r, points: 0 } : r));
    expect(priorityScore({ poverty: 'poor', livingMemberAges: [30, 10], stated: ['pupil'] }, rules)).toEqual({ score: 0, reasons: [] });
  });

  it('always scores the sum of its reasons, each a rule that holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('poor' as const, 'near_poor' as const, 'none' as const),
        fc.array(fc.option(fc.integer({ min: 0, max: 110 })), { maxLength: 6 }),
        fc.subarray(['disability', 'pupil', 'single_parent'] as const),
        fc.array(fc.record({ points: fc.integer({ min: 0, max: 100 }), active: fc.boolean() }), { minLength: 6, maxLength: 6 }),
        (poverty, ages, stated, settings) => {
          const rules = PRIORITY_CODES.map((code, i) => ({ code, label: code, ...settings[i]! }));
          const household = { poverty, livingMemberAges: ages, stated };
          const { score, reasons } = priorityScore(household, rules);
          const holds = circumstancesOf(household);
          expect(score).toBe(reasons.reduce((s, r) => s + r.points, 0));
          for (const r of reasons) expect(holds.has(r.code)).toBe(true);
          expect(holds.has('poor') && holds.has('near_poor')).toBe(false);
        },
      ),
    );
  });
});
