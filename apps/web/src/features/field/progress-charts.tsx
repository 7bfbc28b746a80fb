import { useMemo } from 'react';
// Only the parts drawn here, from echarts/core; this module is loaded with React.lazy.
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { FieldProgress } from '@cds/contract';
import { useChart } from '../../shared/components/use-chart';
import { useI18n } from '../../shared/i18n/i18n-context';
import { lowestCoverage } from './progress-rows';

use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

const PRIMARY = '#0b5cad';
const MET = '#157347';


/** Visits per day as bars, households completed that day as a line. */
export function DayChart({ days, label }: { days: FieldProgress['byDay']; label: string }) {
  const i18n = useI18n();
  const option = useMemo<Option>(() => ({
    animation: false,
    grid: { left: 44, right: 16, top: 36, bottom: 32 },
    legend: { top: 0, data: [i18n.t('progress.byDayVisits'), i18n.t('progress.byDayHouseholds')] },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: days.map((d) => i18n.date(d.day).slice(0, 5)),
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => i18n.number(v) } },
    series: [
      { type: 'bar', name: i18n.t('progress.byDayVisits'), data: days.map((d) => d.visits), itemStyle: { color: PRIMARY, borderRadius: [3, 3, 0, 0] }, barMaxWidth: 28 },
      { type: 'line', name: i18n.t('progress.byDayHouseholds'), data: days.map((d) => d.householdsVisited), itemStyle: { color: MET }, lineStyle: { color: MET, width: 2.5 }, symbolSize: 5 },
    ],
  }), [days, i18n]);
  const box = useChart(option);
  return <div ref={box} className="campaign-chart" role="img" aria-label={label} />;
}

/** The neighbourhoods furthest behind, as horizontal percent bars. */
export function CoverageChart({ rows, label, limit }: { rows: FieldProgress['byNeighbourhood']; label: string; limit: number }) {
  const i18n = useI18n();
  // Lowest at the top of the chart: ECharts draws the first category at the bottom.
  const low = useMemo(() => lowestCoverage(rows, limit).reverse(), [rows, limit]);
  const option = useMemo<Option>(() => ({
    animation: false,
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (typeof v === 'number' ? i18n.percent(v) : '—'),
    },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: {
      type: 'category',
      data: low.map((r) => (r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label)),
    },
    series: [
      {
        type: 'bar',
        data: low.map((r) => ({ value: Math.min(100, r.percent), itemStyle: { color: r.percent >= 100 ? MET : PRIMARY } })),
        barMaxWidth: 18,
        label: { show: true, position: 'right', formatter: (p) => i18n.percent(low[p.dataIndex]?.percent ?? 0) },
      },
    ],
  }), [low, i18n]);
  const box = useChart(option);
  return <div ref={box} className="campaign-chart" style={{ height: Math.max(160, low.length * 28 + 40) }} role="img" aria-label={label} />;
}
