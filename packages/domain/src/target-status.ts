/**
 * Where a figure stands against its target and deadline. The method is deliberately plain, so
 * an official can check it by hand, and it is printed beside the figures (TARGET_STATUS_METHOD).
 */

export type TargetStatus = 'met' | 'on_track' | 'at_risk' | 'behind' | 'no_data';
export type TargetDirection = 'at_least' | 'at_most';

/** Days of history the trend is taken over. */
export const TREND_DAYS = 30;
/** How far short of the target a projection may fall and still be "at risk" rather than "behind". */
export const AT_RISK_MARGIN = 0.1;

export const TARGET_STATUS_METHOD =
  `Đạt: số liệu đã đạt chỉ tiêu. Nếu chưa, lấy mức thay đổi trong ${TREND_DAYS} ngày gần nhất, kéo dài thẳng đến hạn: ` +
  `đến hạn đạt chỉ tiêu là "đúng tiến độ"; thiếu không quá ${AT_RISK_MARGIN * 100}% chỉ tiêu là "có nguy cơ"; thiếu hơn, hoặc đã quá hạn, là "chậm". ` +
  'Không có số liệu (mẫu số bằng 0 hoặc chưa báo cáo) là "chưa có số liệu".';

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The figure a straight line through (asOf − TREND_DAYS, earlier) and (asOf, value) reaches at
 * the deadline; percentages stay within 0–100 and counts above 0.
 */
export function projectToDeadline(input: { value: number | null; earlier: number | null; asOf: string; deadline: string; percent: boolean }): number | null {
  const { value, earlier } = input;
  if (value === null) return null;
  const daysLeft = daysBetween(input.asOf, input.deadline);
  if (daysLeft <= 0) return value;
  if (earlier === null) return null;
  const projected = value + ((value - earlier) / TREND_DAYS) * daysLeft;
  return Math.max(0, input.percent ? Math.min(100, projected) : projected);
}

function reaches(value: number, target: number, direction: TargetDirection): boolean {
  return direction === 'at_least' ? value >= target : value <= target;
}

export function targetStatus(input: {
  value: number | null;
  target: number;
  direction: TargetDirection;
  asOf: string;
  deadline: string;
  projected: number | null;
}): TargetStatus {
  const { value, target, direction, projected } = input;
  if (value === null) return 'no_data';
  if (reaches(value, target, direction)) return 'met';
  if (input.asOf > input.deadline || projected === null) return 'behind';
  if (reaches(projected, target, direction)) return 'on_track';
  const shortfall = direction === 'at_least' ? target - projected : projected - target;
  // For an "at most 0" target any projected remainder is a shortfall against a target of 0.
  const allowed = AT_RISK_MARGIN * Math.max(target, direction === 'at_most' ? value : 0);
  return shortfall <= allowed ? 'at_risk' : 'behind';
}
