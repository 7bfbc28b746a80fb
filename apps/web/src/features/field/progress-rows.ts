import type { ProgressRow } from '@cds/contract';

/**
 * Households visited of those given, in per cent, unrounded (I18n.percent writes it, so 1.999 of
 * 2.000 does not read as done); null when nothing was given (a share of nothing is not 0 %).
 * Households found at the door can make it pass 100, which is shown as is.
 */
export function coverage(visited: number, assigned: number): number | null {
  if (assigned <= 0) return null;
  return (visited / assigned) * 100;
}

/** The width of a percent bar: never below 0 or past the track. */
export function barWidth(percent: number | null): number {
  if (percent === null || !Number.isFinite(percent)) return 0;
  return Math.max(0, Math.min(100, percent));
}

export type Ranked<T> = T & { place: number };

/**
 * The leaderboard: most households visited first, then most visits, then by name as people number
 * them ("Tổ 2" before "Tổ 10"). Equal households visited share a place, as in a sports table; rows
 * with nothing visited are left out (a board of zeros praises nobody).
 */
export function leaderboard<T extends Pick<ProgressRow, 'householdsVisited' | 'visits' | 'label'>>(rows: readonly T[], top: number): Ranked<T>[] {
  const sorted = rows
    .filter((r) => r.householdsVisited > 0)
    .sort((a, b) => b.householdsVisited - a.householdsVisited || b.visits - a.visits || a.label.localeCompare(b.label, 'vi', { numeric: true }));
  const ranked: Ranked<T>[] = [];
  for (const [i, row] of sorted.entries()) {
    const prev = ranked[i - 1];
    const place = prev && prev.householdsVisited === row.householdsVisited ? prev.place : i + 1;
    if (place > top) break;
    ranked.push({ ...row, place });
  }
  return ranked;
}

export type ProgressCol = 'label' | 'householdsAssigned' | 'householdsVisited' | 'coverage' | 'visits' | 'peopleHelped' | 'actionsDone' | 'peopleFound' | 'membersAllElementsMet';

/** Sorts a progress table; rows without a share (nothing given) stay last whichever way coverage is sorted. */
export function sortProgress(rows: readonly ProgressRow[], col: ProgressCol, dir: 'asc' | 'desc'): ProgressRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const byName = (a: ProgressRow, b: ProgressRow) => a.label.localeCompare(b.label, 'vi', { numeric: true });
  return [...rows].sort((a, b) => {
    if (col === 'label') return sign * byName(a, b);
    if (col === 'coverage') {
      const ca = coverage(a.householdsVisited, a.householdsAssigned);
      const cb = coverage(b.householdsVisited, b.householdsAssigned);
      if (ca === null || cb === null) return ca === cb ? byName(a, b) : ca === null ? 1 : -1;
      return sign * (ca - cb) || byName(a, b);
    }
    return sign * (a[col] - b[col]) || byName(a, b);
  });
}

/** Neighbourhoods most in need of visits: the lowest share first, those with nothing given left out. */
export function lowestCoverage(rows: readonly ProgressRow[], n: number): Array<ProgressRow & { percent: number }> {
  return rows
    .map((r) => ({ ...r, percent: coverage(r.householdsVisited, r.householdsAssigned) }))
    .filter((r): r is ProgressRow & { percent: number } => r.percent !== null)
    .sort((a, b) => a.percent - b.percent || a.label.localeCompare(b.label, 'vi', { numeric: true }))
    .slice(0, n);
}
