import type { TargetStatusName } from '@cds/contract';
import type { I18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';

export type FigureUnit = 'percent' | 'count';

export const STATUS_LABEL: Record<TargetStatusName, MessageKey> = {
  met: 'target.status.met',
  on_track: 'target.status.on_track',
  at_risk: 'target.status.at_risk',
  behind: 'target.status.behind',
  no_data: 'target.status.no_data',
};

export const STATUSES: readonly TargetStatusName[] = ['met', 'on_track', 'at_risk', 'behind', 'no_data'];

/** A figure as the reader writes it: "87,5%" or "1.234"; a dash where there is none. */
export function formatFigure(i18n: Pick<I18n, 'number' | 'percent'>, value: number | null | undefined, unit: FigureUnit): string {
  if (value === null || value === undefined) return '—';
  return unit === 'count' ? i18n.number(Math.round(value)) : i18n.percent(value);
}

/**
 * The scale a progress bar is drawn on: 0–100 for shares; for counts, a little past the largest of
 * value, target and projection, so the target mark never sits on the bar's edge.
 */
export function barScale(unit: FigureUnit, ...figures: readonly (number | null)[]): number {
  if (unit === 'percent') return 100;
  const largest = Math.max(0, ...figures.filter((f): f is number => f !== null));
  return largest === 0 ? 1 : largest * 1.1;
}

/** Where a figure falls on the bar, as a CSS percentage clamped to the bar. */
export function barPosition(value: number | null, scale: number): number {
  if (value === null || scale <= 0) return 0;
  return Math.min(100, Math.max(0, (value / scale) * 100));
}

/** "Còn 120 ngày", "Hạn hôm nay", "Quá hạn 63 ngày". */
export function daysLeftText(t: I18n['t'], number: I18n['number'], daysLeft: number): string {
  if (daysLeft > 0) return t('target.daysLeft', { n: number(daysLeft) });
  if (daysLeft === 0) return t('target.dueToday');
  return t('target.overdue', { n: number(-daysLeft) });
}

