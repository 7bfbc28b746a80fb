import { useMemo } from 'react';
import type { Trend } from '@cds/contract';
// Only the parts drawn here, from echarts/core: the whole library would add ~1 MB to the page.
// This module is loaded with React.lazy, so ECharts downloads only when a trend is shown.
import { use, type ComposeOption } from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent, type GridComponentOption, type MarkLineComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useChart } from '../../shared/components/use-chart';
import { useI18n } from '../../shared/i18n/i18n-context';
import { formatFigure, type FigureUnit } from './figure-format';

// SVG rather than canvas: sharp when printed, and the text is real text.
use([LineChart, GridComponent, TooltipComponent, MarkLineComponent, SVGRenderer]);

type Option = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | MarkLineComponentOption>;

const PRIMARY = '#0b5cad';
const TARGET = '#157347';
const DEADLINE = '#b42318';

/** One indicator over time, with the target as a horizontal line and the deadline as a vertical one. */
export default function TrendChart({ trend, unit, label }: { trend: Trend; unit: FigureUnit; label: string }) {
  const i18n = useI18n();
  const option = useMemo<Option>(() => {
    const fmt = (v: number | null) => formatFigure(i18n, v, unit);
    const values = trend.points.map((p) => p.value).filter((v): v is number => v !== null);
    const first = trend.points[0]?.day ?? trend.deadline;
    const last = trend.points[trend.points.length - 1]?.day ?? trend.deadline;
    const yMax = unit === 'percent' ? 100 : Math.ceil(Math.max(trend.target, ...values, 1) * 1.1);
    const option: Option = {
      animation: false,
      grid: { left: 56, right: 24, top: 28, bottom: 36 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) => (typeof v === 'number' ? fmt(v) : '—'),
      },
      xAxis: {
        type: 'time',
        // The deadline stays in view whether it is ahead of the trend or behind it.
        min: first < trend.deadline ? first : trend.deadline,
        max: last > trend.deadline ? last : trend.deadline,
        axisLabel: { formatter: (v: number) => i18n.date(new Date(v).toISOString()).slice(0, 5), hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: yMax,
        axisLabel: { formatter: (v: number) => fmt(v) },
      },
      series: [
        {
          type: 'line',
          name: label,
          data: trend.points.map((p) => [p.day, p.value]),
          connectNulls: false,
          showSymbol: trend.points.length <= 40,
          symbolSize: 5,
          lineStyle: { width: 2.5, color: PRIMARY },
          itemStyle: { color: PRIMARY },
          areaStyle: { color: 'rgba(11, 92, 173, 0.08)' },
          markLine: {
            symbol: 'none',
            silent: true,
            data: [
              {
                yAxis: trend.target,
                lineStyle: { color: TARGET, type: 'dashed', width: 2 },
                label: { formatter: i18n.t('trend.targetLine', { value: fmt(trend.target) }), position: 'insideEndTop', color: TARGET },
              },
              {
                xAxis: trend.deadline,
                lineStyle: { color: DEADLINE, type: 'dashed', width: 2 },
                label: { formatter: i18n.t('trend.deadlineLine', { date: i18n.date(trend.deadline) }), position: 'insideEndTop', color: DEADLINE },
              },
            ],
          },
        },
      ],
    };
    return option;
  }, [trend, unit, i18n]);
  const box = useChart(option);

  return <div ref={box} className="trend-chart" role="img" aria-label={label} />;
}
