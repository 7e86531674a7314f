import { useEffect, useMemo, useRef } from 'react';
import { theme as antdTheme } from 'antd';
import { init, use, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { BarChart, GaugeChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import type { ChartTheme } from './options.js';

// Only the parts the chart widgets use, so the chart chunk stays small.
use([LineChart, BarChart, PieChart, GaugeChart, HeatmapChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, DataZoomComponent, VisualMapComponent, CanvasRenderer, SVGRenderer]);

let canvasOk: boolean | undefined;
function hasCanvas(): boolean {
  if (canvasOk === undefined) {
    try {
      canvasOk = !!document.createElement('canvas').getContext('2d');
    } catch {
      canvasOk = false;
    }
  }
  return canvasOk;
}

export function useChartTheme(): ChartTheme {
  const { token } = antdTheme.useToken();
  return useMemo(
    () => ({
      text: token.colorText,
      textSecondary: token.colorTextSecondary,
      border: token.colorBorder,
      split: token.colorBorderSecondary,
      bgElevated: token.colorBgElevated,
      palette: [token.colorPrimary, token.green6, token.gold6, token.red6, token.purple6, token.cyan6, token.magenta6, token.orange6, token.geekblue6, token.lime6],
    }),
    [token],
  );
}

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  onEvent?: (name: 'click' | 'zoom', payload: unknown) => void;
  /** exposed for tests and for the chart widgets' own handlers. */
  onReady?: (chart: EChartsType) => void;
}

export function EChart({ option, height, onEvent, onReady }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);
  const eventRef = useRef(onEvent);
  eventRef.current = onEvent;

  useEffect(() => {
    const el = ref.current!;
    // Canvas is faster for long series; SVG when there is no 2D canvas (tests, some embeds).
    const chart = init(el, undefined, { renderer: hasCanvas() ? 'canvas' : 'svg', height, width: el.clientWidth || undefined });
    chartRef.current = chart;
    chart.on('click', (p) => {
      const e = p as { seriesName?: string; name?: string; value?: unknown; dataIndex?: number };
      eventRef.current?.('click', { series: e.seriesName, name: e.name, value: e.value, index: e.dataIndex });
    });
    chart.on('datazoom', () => {
      const opt = chart.getOption() as { dataZoom?: { startValue?: number; endValue?: number }[] };
      const dz = opt.dataZoom?.[0];
      if (dz) eventRef.current?.('zoom', { from: dz.startValue, to: dz.endValue });
    });
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => chart.resize({ width: 'auto', height: 'auto' })) : undefined;
    ro?.observe(el);
    onReady?.(chart);
    return () => {
      ro?.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
    // init once; option and size changes are applied by the effects below
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);

  useEffect(() => {
    chartRef.current?.resize({ height });
  }, [height]);

  return <div ref={ref} style={{ width: '100%', height }} />;
}
