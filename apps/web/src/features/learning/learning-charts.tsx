import { useMemo } from 'react';
// Only the parts drawn here, from echarts/core; this module is loaded with React.lazy.
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useChart } from '../../shared/components/use-chart';
import { useI18n } from '../../shared/i18n/i18n-context';

use([BarChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

const COLOURS = ['#0b5cad', '#157347', '#b26a00'];

export type BarRow = { label: string; values: readonly number[] };

/**
 * Horizontal bars, one group per row (a unit, a course), one colour per series. Rows are drawn
 * in the order given, the first at the top. With `percent`, the axis runs 0–100 and labels end in %.
 */
export function LearningBarChart({ rows, series, label, percent = false }: { rows: readonly BarRow[]; series: readonly string[]; label: string; percent?: boolean }) {
  const i18n = useI18n();
  // ECharts draws the first category at the bottom.
  const shown = useMemo(() => [...rows].reverse(), [rows]);
  const option = useMemo<Option>(() => {
    const format = (v: unknown) => (typeof v === 'number' ? `${i18n.number(v)}${percent ? '%' : ''}` : '—');
    return {
      animation: false,
      color: COLOURS,
      grid: { left: 8, right: 48, top: series.length > 1 ? 32 : 8, bottom: 24, containLabel: true },
      legend: series.length > 1 ? { top: 0, data: [...series] } : undefined,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: format },
      // Low rates early in a competition would be slivers on a 0–100 axis: the axis ends at the next ten above the highest.
      xAxis: percent
        ? { type: 'value', min: 0, max: (extent: { max: number }) => Math.min(100, Math.max(10, Math.ceil(extent.max / 10) * 10)), axisLabel: { formatter: '{value}%' } }
        : { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => i18n.number(v) } },
      yAxis: { type: 'category', data: shown.map((r) => (r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label)) },
      series: series.map((name, i) => ({
        type: 'bar' as const,
        name,
        data: shown.map((r) => r.values[i] ?? 0),
        barMaxWidth: 16,
        label: { show: true, position: 'right' as const, formatter: (p: { value: unknown }) => format(p.value) },
      })),
    };
  }, [shown, series, i18n, percent]);
  const box = useChart(option);
  const height = Math.max(140, rows.length * (series.length > 1 ? 40 : 28) + (series.length > 1 ? 64 : 40));
  return <div ref={box} className="learning-chart" style={{ height }} role="img" aria-label={label} />;
}
