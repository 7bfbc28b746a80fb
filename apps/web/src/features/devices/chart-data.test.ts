import { describe, expect, it } from 'vitest';
import { chartRows, share, shortLabel } from './chart-data';

const row = (label: string, ...values: number[]) => ({ key: label, label, values });

describe('chart rows', () => {
  it('keeps the largest first and leaves out rows of zeros', () => {
    const out = chartRows([row('A', 1, 0), row('B', 5, 2), row('C', 0, 0), row('D', 3, 3)], 10, 'Khác');
    expect(out.map((r) => r.label)).toEqual(['B', 'D', 'A']);
  });

  it('sums the rest into one others row, per series', () => {
    const out = chartRows([row('A', 9, 1), row('B', 8, 2), row('C', 2, 3), row('D', 1, 4)], 3, 'Khác');
    expect(out).toEqual([row('A', 9, 1), row('B', 8, 2), { key: '__others', label: 'Khác', values: [3, 7] }]);
  });

  it('orders ties by the name as people number them', () => {
    const out = chartRows([row('Phường 10', 2), row('Phường 2', 2)], 5, 'Khác');
    expect(out.map((r) => r.label)).toEqual(['Phường 2', 'Phường 10']);
  });

  it('keeps a row with figures only in a later series', () => {
    expect(chartRows([row('A', 0, 4)], 5, 'Khác')).toHaveLength(1);
  });
});

describe('labels and shares', () => {
  it('cuts long names', () => {
    expect(shortLabel('Phường Bến Thành', 30)).toBe('Phường Bến Thành');
    expect(shortLabel('abcdefghij', 5)).toBe('abcd…');
  });
  it('gives no share of nothing', () => {
    expect(share(1, 0)).toBeNull();
    expect(share(1, 3)).toBeCloseTo(33.333, 3);
    expect(share(3, 3)).toBe(100);
  });
});
