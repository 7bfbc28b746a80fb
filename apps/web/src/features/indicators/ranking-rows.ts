import type { RankingRow, TargetStatusName } from '@cds/contract';
import type { SortState } from '../../shared/components/sort-header';
import { foldVietnamese } from '../../shared/text-fold';

export type RankingColumn = 'rank' | 'name' | 'value' | 'numerator' | 'denominator' | 'target' | 'status' | 'projected';
export type RankingSort = SortState<RankingColumn>;
export type RankedRow = RankingRow & { rank: number | null };

/** Worst first when sorting by status: the units that need help come to the top. */
const STATUS_ORDER: Record<TargetStatusName, number> = { behind: 0, at_risk: 1, on_track: 2, met: 3, no_data: 4 };

/**
 * Places 1, 2, 3… by value, best first: the highest for "at least" targets, the lowest for "at most"
 * ones (2G-only phones). Equal values share a place (1, 2, 2, 4); rows without a figure get none.
 */
export function rankRows(rows: readonly RankingRow[], direction: 'at_least' | 'at_most'): RankedRow[] {
  const withValue = rows.filter((r) => r.value !== null).map((r) => r.value as number);
  const sorted = [...withValue].sort((a, b) => (direction === 'at_least' ? b - a : a - b));
  return rows.map((r) => ({ ...r, rank: r.value === null ? null : sorted.indexOf(r.value) + 1 }));
}

/** Rows whose name contains the text, compared without diacritics ("ben thanh" finds "Bến Thành"), and of the status if one is chosen. */
export function filterRows<T extends RankingRow>(rows: readonly T[], text: string, status: TargetStatusName | ''): T[] {
  const needle = foldVietnamese(text);
  return rows.filter((r) => (status === '' || r.status === status) && (needle === '' || foldVietnamese(r.name).includes(needle)));
}

/** Sorted by one column; rows without that figure always go last, whichever the direction, then by name. */
export function sortRows(rows: readonly RankedRow[], sort: RankingSort): RankedRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byName = (a: RankedRow, b: RankedRow) => a.name.localeCompare(b.name, 'vi', { numeric: true });
  return [...rows].sort((a, b) => {
    if (sort.col === 'name') return sign * byName(a, b);
    if (sort.col === 'status') return sign * (STATUS_ORDER[a.status] - STATUS_ORDER[b.status]) || byName(a, b);
    const av = a[sort.col];
    const bv = b[sort.col];
    if (av === null && bv === null) return byName(a, b);
    if (av === null) return 1;
    if (bv === null) return -1;
    return sign * (av - bv) || byName(a, b);
  });
}

/** The direction a column sorts in on its first press: names and places from the top, figures largest first. */
export function firstDirection(col: RankingColumn): 'asc' | 'desc' {
  return col === 'name' || col === 'rank' || col === 'status' ? 'asc' : 'desc';
}
