import { useMemo } from 'react';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { useProps } from '../common/useProps.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { EChart, useChartTheme } from '../charts/EChart.js';
import { pieOption } from '../charts/options.js';
import { toSeries } from '../charts/series.js';
import { defaults, type PieChartProps } from './meta.js';

export function PieChart({ props, data, loading, error, emit }: WidgetRenderProps<PieChartProps>) {
  const p = useProps(defaults, props);
  const theme = useChartTheme();
  const set = useMemo(() => toSeries(data, { dataPath: p.dataPath, xField: p.xField, yField: p.yField, seriesField: p.seriesField, legendFormat: p.legendFormat }), [data, p.dataPath, p.xField, p.yField, p.seriesField, p.legendFormat]);
  const option = useMemo(() => pieOption(set, p, theme), [set, p, theme]);
  return (
    <ChartFrame loading={loading} error={error} empty={set.series.length === 0} height={p.height}>
      <EChart option={option} height={p.height} onEvent={(_n, payload) => emit('pointClick', payload)} />
    </ChartFrame>
  );
}
