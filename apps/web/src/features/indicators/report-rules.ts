import type { MessageKey } from '../../shared/i18n/dictionary-vi';

export type PeriodKind = 'month' | 'quarter' | 'year';

/**
 * The reporting periods up to today, latest first, written as the server takes them
 * (ReportedValueSaveBody: "2026", "2026-Q3", "2026-09").
 */
export function recentPeriods(kind: PeriodKind, today: string, count: number): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (kind === 'year') out.push(String(year - i));
    else if (kind === 'quarter') {
      const q = Math.floor((month - 1) / 3) - i;
      const y = year + Math.floor(q / 4);
      out.push(`${y}-Q${(((q % 4) + 4) % 4) + 1}`);
    } else {
      const m = month - 1 - i;
      const y = year + Math.floor(m / 12);
      out.push(`${y}-${String((((m % 12) + 12) % 12) + 1).padStart(2, '0')}`);
    }
  }
  return out;
}

/** "Tháng 09/2026", "Quý 3/2026", "Năm 2026" (through the dictionary). */
export function periodLabel(t: (key: MessageKey, params?: Record<string, string | number>) => string, period: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return t('report.periodQuarter', { q: quarter[2] ?? '', y: quarter[1] ?? '' });
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return t('report.periodMonth', { m: month[2] ?? '', y: month[1] ?? '' });
  return t('report.periodYear', { y: period });
}

/**
 * A number as officials type it: "2.751" or "2 751" for a count (Vietnamese thousands), "95,5" or
 * "95.5" for a share. Undefined when the text is not a number at all.
 */
export function parseNumber(text: string, whole: boolean): number | undefined {
  const s = text.trim().replace(/\s+/g, '');
  if (s === '') return undefined;
  if (whole) {
    if (/^\d+$/.test(s)) return Number(s);
    if (/^\d{1,3}([.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, ''));
    return undefined;
  }
  if (/^\d+([.,]\d+)?$/.test(s)) return Number(s.replace(',', '.'));
  return undefined;
}

export type ReportEntry = { mode: 'ratio' | 'value'; numerator: string; denominator: string; value: string; note: string };
export type ReportProblems = Partial<Record<'numerator' | 'denominator' | 'value' | 'note' | 'period', MessageKey[]>>;
export type ReportFigures = { numerator: number | null; denominator: number | null; value: number | null };

export const NOTE_MAX = 1000;

/**
 * The contract's rules (ReportedValueSaveBody) checked before sending, with messages in the
 * reader's words; the server still checks again. A share is entered as numerator and denominator
 * where the unit counts them, or as the percentage alone where only that is known.
 */
export function checkReport(entry: ReportEntry, unit: 'percent' | 'count', period: string): { problems: ReportProblems; figures: ReportFigures } {
  const problems: ReportProblems = {};
  const add = (field: keyof ReportProblems, key: MessageKey) => (problems[field] = [...(problems[field] ?? []), key]);
  let figures: ReportFigures = { numerator: null, denominator: null, value: null };
  if (period === '') add('period', 'report.err.period');
  if (entry.mode === 'ratio') {
    const numerator = parseNumber(entry.numerator, true);
    const denominator = parseNumber(entry.denominator, true);
    if (entry.numerator.trim() === '') add('numerator', 'report.err.numeratorRequired');
    else if (numerator === undefined) add('numerator', 'report.err.wholeNumber');
    if (entry.denominator.trim() === '') add('denominator', 'report.err.denominatorRequired');
    else if (denominator === undefined) add('denominator', 'report.err.wholeNumber');
    else if (denominator <= 0) add('denominator', 'report.err.denominatorPositive');
    if (numerator !== undefined && denominator !== undefined && denominator > 0 && numerator > denominator) add('numerator', 'report.err.numeratorAboveDenominator');
    if (numerator !== undefined && denominator !== undefined && denominator > 0) figures = { numerator, denominator, value: null };
  } else {
    const value = parseNumber(entry.value, unit === 'count');
    if (entry.value.trim() === '') add('value', 'report.err.valueRequired');
    else if (value === undefined) add('value', unit === 'count' ? 'report.err.wholeNumber' : 'report.err.number');
    else if (unit === 'percent' && value > 100) add('value', 'report.err.percentAbove100');
    if (value !== undefined) figures = { numerator: null, denominator: null, value };
  }
  if (entry.note.trim().length > NOTE_MAX) add('note', 'report.err.noteTooLong');
  return { problems, figures };
}
