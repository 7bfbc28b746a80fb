/** One bar group of a chart: a unit or a sponsor, and its figures (one per series). */
export type ChartRow = { key: string; label: string; values: readonly number[] };

/**
 * The rows a bar chart shows: the largest by the first series, at most `limit`, the rest summed
 * into one last "others" row (so the chart still adds up to the table); rows of only zeros are
 * left out. Ties keep the names' order ("Phường 2" before "Phường 10").
 */
export function chartRows(rows: readonly ChartRow[], limit: number, othersLabel: string): ChartRow[] {
  const live = rows
    .filter((r) => r.values.some((v) => v > 0))
    .sort((a, b) => (b.values[0] ?? 0) - (a.values[0] ?? 0) || a.label.localeCompare(b.label, 'vi', { numeric: true }));
  if (live.length <= limit) return live;
  const kept = live.slice(0, Math.max(0, limit - 1));
  const rest = live.slice(kept.length);
  const width = Math.max(...rest.map((r) => r.values.length));
  const sums = Array.from({ length: width }, (_, i) => rest.reduce((s, r) => s + (r.values[i] ?? 0), 0));
  return [...kept, { key: '__others', label: othersLabel, values: sums }];
}

/** A long name cut for an axis label; the tooltip and the table keep it whole. */
export function shortLabel(label: string, max = 22): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** A share in per cent of a total, unrounded (I18n.percent writes it); null when there is no total (a share of nothing is not 0 %). */
export function share(part: number, total: number): number | null {
  if (total <= 0) return null;
  return (part / total) * 100;
}
