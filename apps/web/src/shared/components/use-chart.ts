import { useEffect, useRef } from 'react';
import { init, type EChartsCoreOption } from 'echarts/core';

/**
 * Draws an ECharts option into the returned element (SVG, so text stays sharp and searchable),
 * redraws when the option changes, follows the element's size, and disposes on unmount. Each
 * chart module registers the chart types it uses (echarts/core `use`), keeping bundles small.
 */
export function useChart(option: EChartsCoreOption | null) {
  const box = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !option) return;
    const chart = init(el, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return box;
}
