import { describe, expect, it } from 'vitest';
import { checkReport, parseNumber, recentPeriods, type ReportEntry } from './report-rules';

const entry = (over: Partial<ReportEntry>): ReportEntry => ({ mode: 'ratio', numerator: '', denominator: '', value: '', note: '', ...over });

describe('reporting periods', () => {
  it('counts months, quarters and years back across a year end', () => {
    expect(recentPeriods('month', '2026-02-10', 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(recentPeriods('quarter', '2026-02-10', 3)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3']);
    expect(recentPeriods('year', '2026-12-02', 2)).toEqual(['2026', '2025']);
  });
});

describe('reported figure entry', () => {
  it('reads counts with Vietnamese thousands separators and shares with a decimal comma', () => {
    expect(parseNumber('2.751', true)).toBe(2751);
    expect(parseNumber('2 896', true)).toBe(2896);
    expect(parseNumber('95,5', false)).toBe(95.5);
    expect(parseNumber('12a', true)).toBeUndefined();
  });

  it('refuses a numerator above the denominator, as the server does', () => {
    const { problems } = checkReport(entry({ numerator: '3000', denominator: '2896' }), 'percent', '2026-Q3');
    expect(problems.numerator).toEqual(['report.err.numeratorAboveDenominator']);
  });

  it('asks for both parts of a share, or a value', () => {
    expect(checkReport(entry({ numerator: '5' }), 'percent', '2026').problems.denominator).toEqual(['report.err.denominatorRequired']);
    expect(checkReport(entry({ mode: 'value' }), 'percent', '2026').problems.value).toEqual(['report.err.valueRequired']);
  });

  it('refuses a share above 100% and accepts a good one', () => {
    expect(checkReport(entry({ mode: 'value', value: '101' }), 'percent', '2026').problems.value).toEqual(['report.err.percentAbove100']);
    const ok = checkReport(entry({ numerator: '2.751', denominator: '2.896' }), 'percent', '2026-Q3');
    expect(ok.problems).toEqual({});
    expect(ok.figures).toEqual({ numerator: 2751, denominator: 2896, value: null });
  });
});
