import { useMemo } from 'react';
import { theme as antdTheme } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { isRecord } from '../common/props.js';
import { useProps } from '../common/useProps.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { EChart, useChartTheme } from '../charts/EChart.js';
import { gaugeOption } from '../charts/options.js';
import { lastValue, promValue, toSeries } from '../charts/series.js';
import { defaults, type GaugeChartProps } from './meta.js';

/** The gauge's value from a number, {value}, or any series shape (last point). */
export function gaugeValue(data: unknown, p: GaugeChartProps): number | null {
  if (typeof data === 'number' || typeof data === 'string') return promValue(data);
  if (isRecord(data) && 'value' in data && !Array.isArray(data.value)) return promValue(data.value);
  const set = toSeries(data, { dataPath: p.dataPath, xField: p.xField, yField: p.yField, legendFormat: p.legendFormat });
  return lastValue(set);
}

export function GaugeChart({ props, data, loading, error }: WidgetRenderProps<GaugeChartProps>) {
  const p = useProps(defaults, props);
  const theme = useChartTheme();
  const { token } = antdTheme.useToken();
  const value = gaugeValue(data, p);
  const option = useMemo(() => {
    // Palette names ("green", "red") map to the theme's colour tokens.
    const tokens = token as unknown as Record<string, string>;
    const thresholds = p.thresholds?.map((t) => ({ value: t.value, color: tokens[`${t.color}6`] ?? tokens[t.color] ?? t.color }));
    return gaugeOption(value, { ...p, thresholds }, theme);
  }, [value, p, theme, token]);
  return (
    <ChartFrame loading={loading} error={error} empty={value === null} height={p.height}>
      <EChart option={option} height={p.height} />
    </ChartFrame>
  );
}
