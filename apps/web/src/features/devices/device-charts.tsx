import { useMemo } from 'react';
// Only the parts drawn here, from echarts/core; this module is loaded with React.lazy.
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useChart } from '../../shared/components/use-chart';
import { useI18n } from '../../shared/i18n/i18n-context';
import { shortLabel, type ChartRow } from './chart-data';

use([BarChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

const COLOURS = ['#0b5cad', '#157347', '#b26a00', '#6f42c1'];

/**
 * Horizontal bars, one group per row (unit or sponsor), one colour per series (pledged,
 * delivered…). The first row is drawn at the top. Rows come already shaped by chartRows.
 */
export function RowsBarChart({ rows, series, label }: { rows: readonly ChartRow[]; series: readonly string[]; label: string }) {
  const i18n = useI18n();
  // ECharts draws the first category at the bottom: reversed so the largest is on top.
  const shown = useMemo(() => [...rows].reverse(), [rows]);
  const option = useMemo<Option>(
    () => ({
      animation: false,
      color: COLOURS,
      grid: { left: 8, right: 40, top: series.length > 1 ? 32 : 8, bottom: 24, containLabel: true },
      legend: series.length > 1 ? { top: 0, data: [...series] } : undefined,
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => (typeof v === 'number' ? i18n.number(v) : '—'),
      },
      // ECharts writes axis numbers its own way ("1,000"); the reader's is "1.000".
      xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => i18n.number(v) } },
      yAxis: { type: 'category', data: shown.map((r) => shortLabel(r.label)) },
      series: series.map((name, i) => ({
        type: 'bar' as const,
        name,
        data: shown.map((r) => r.values[i] ?? 0),
        barMaxWidth: 16,
        label: { show: true, position: 'right' as const, formatter: (p: { value: unknown }) => (typeof p.value === 'number' && p.value > 0 ? i18n.number(p.value) : '') },
      })),
    }),
    [shown, series, i18n],
  );
  const box = useChart(option);
  const height = Math.max(160, rows.length * (series.length > 1 ? 34 : 26) + (series.length > 1 ? 64 : 40));
  return <div ref={box} className="device-chart" style={{ height }} role="img" aria-label={label} />;
}
