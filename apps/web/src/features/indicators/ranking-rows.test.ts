import { describe, expect, it } from 'vitest';
import type { RankingRow } from '@cds/contract';
import { filterRows, rankRows, sortRows } from './ranking-rows';

function row(name: string, value: number | null, status: RankingRow['status'] = 'on_track'): RankingRow {
  return { code: name, name, numerator: value, denominator: value === null ? null : 100, value, target: 100, status, projected: null };
}

describe('ranking rows', () => {
  it('places the highest first for an at-least target, equal values sharing a place and empty rows none', () => {
    const ranked = rankRows([row('A', 50), row('B', 80), row('C', 80), row('D', null)], 'at_least');
    expect(ranked.map((r) => r.rank)).toEqual([3, 1, 1, null]);
  });

  it('places the lowest first for an at-most target', () => {
    const ranked = rankRows([row('A', 5), row('B', 1)], 'at_most');
    expect(ranked.map((r) => r.rank)).toEqual([2, 1]);
  });

  it('finds a unit by its name typed without diacritics, and by status', () => {
    const rows = [row('Phường Bến Thành', 10, 'behind'), row('Xã Củ Chi', 20, 'met'), row('Phường Sài Gòn', 30, 'behind')];
    expect(filterRows(rows, 'ben thanh', '').map((r) => r.name)).toEqual(['Phường Bến Thành']);
    expect(filterRows(rows, 'phuong', 'behind')).toHaveLength(2);
    expect(filterRows(rows, '', 'met').map((r) => r.name)).toEqual(['Xã Củ Chi']);
  });

  it('keeps rows without a figure last in either direction and sorts names as people number them', () => {
    const ranked = rankRows([row('Khu phố 10', 40), row('Khu phố 2', null), row('Khu phố 3', 90)], 'at_least');
    expect(sortRows(ranked, { col: 'value', dir: 'desc' }).map((r) => r.name)).toEqual(['Khu phố 3', 'Khu phố 10', 'Khu phố 2']);
    expect(sortRows(ranked, { col: 'value', dir: 'asc' }).map((r) => r.name)).toEqual(['Khu phố 10', 'Khu phố 3', 'Khu phố 2']);
    expect(sortRows(ranked, { col: 'name', dir: 'asc' }).map((r) => r.name)).toEqual(['Khu phố 2', 'Khu phố 3', 'Khu phố 10']);
  });

  it('puts the units furthest behind first when sorting by status', () => {
    const ranked = rankRows([row('A', 1, 'met'), row('B', 1, 'behind'), row('C', 1, 'at_risk')], 'at_least');
    expect(sortRows(ranked, { col: 'status', dir: 'asc' }).map((r) => r.name)).toEqual(['B', 'C', 'A']);
  });
});
