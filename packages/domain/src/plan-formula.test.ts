import { describe, expect, it } from 'vitest';
import { FormulaError, evaluateFormula, formulaRefs, parseFormula } from './plan-formula.ts';
import { projectToDeadline, targetStatus } from './target-status.ts';

const values: Record<string, number | null> = { 'the-cccd': 80, vneid: 60, 'app-installed': 40, missing: null, zero: 0 };
const evaluate = (text: string) => evaluateFormula(parseFormula(text), (id) => values[id] ?? null);

describe('plan formulas', () => {
  it('reads hyphenated indicator names and honours precedence and brackets', () => {
    expect(evaluate('the-cccd + vneid * 2')).toBe(200);
    expect(evaluate('(the-cccd + vneid) / 2')).toBe(70);
    expect(evaluate('the-cccd - vneid')).toBe(20);
  });

  it('has min, max and mean over any number of arguments', () => {
    expect(evaluate('mean(the-cccd, vneid, app-installed)')).toBe(60);
    expect(evaluate('min(the-cccd, vneid)')).toBe(60);
    expect(evaluate('max(the-cccd, 90)')).toBe(90);
  });

  it('gives no figure when an input has none or on division by zero', () => {
    expect(evaluate('mean(the-cccd, missing)')).toBeNull();
    expect(evaluate('the-cccd / zero')).toBeNull();
  });

  it('lists the indicators a formula uses', () => {
    expect([...formulaRefs(parseFormula('mean(a, b-c) + d * 2'))].sort()).toEqual(['a', 'b-c', 'd']);
  });

  it('refuses what is not arithmetic, in Vietnamese', () => {
    expect(() => parseFormula('sum(a, b)')).toThrow(FormulaError);
    expect(() => parseFormula('a +')).toThrow('kết thúc giữa chừng');
    expect(() => parseFormula('a b')).toThrow('Thừa');
    expect(() => parseFormula('a; drop')).toThrow('Không hiểu');
  });
});

describe('targetStatus', () => {
  const base = { target: 100, direction: 'at_least' as const, asOf: '2026-06-01', deadline: '2026-06-30' };

  it('is met once the figure reaches the target, whatever the trend', () => {
    expect(targetStatus({ ...base, value: 100, projected: null })).toBe('met');
    expect(targetStatus({ ...base, target: 0, direction: 'at_most', value: 0, projected: null })).toBe('met');
  });

  it('is on track when the projection reaches the target, at risk within 10%, behind beyond', () => {
    expect(targetStatus({ ...base, value: 80, projected: 100 })).toBe('on_track');
    expect(targetStatus({ ...base, value: 80, projected: 92 })).toBe('at_risk');
    expect(targetStatus({ ...base, value: 80, projected: 85 })).toBe('behind');
  });

  it('is behind once the deadline has passed unmet, and without data says so', () => {
    expect(targetStatus({ ...base, asOf: '2026-07-01', value: 99, projected: 99 })).toBe('behind');
    expect(targetStatus({ ...base, value: null, projected: null })).toBe('no_data');
  });

  it('projects the last 30 days in a straight line to the deadline, within 0–100 for shares', () => {
    // +15 points in 30 days, 29 days left: 60 + 14.5.
    expect(projectToDeadline({ value: 60, earlier: 45, asOf: '2026-06-01', deadline: '2026-06-30', percent: true })).toBeCloseTo(74.5);
    expect(projectToDeadline({ value: 90, earlier: 30, asOf: '2026-06-01', deadline: '2026-06-30', percent: true })).toBe(100);
    expect(projectToDeadline({ value: 60, earlier: null, asOf: '2026-06-01', deadline: '2026-06-30', percent: true })).toBeNull();
  });
});
