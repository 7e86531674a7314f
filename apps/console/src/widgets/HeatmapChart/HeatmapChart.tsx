import { useMemo } from 'react';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { useProps } from '../common/useProps.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { EChart, useChartTheme } from '../charts/EChart.js';
import { heatmapCells, heatmapOption } from '../charts/options.js';
import { promResult, toSeries } from '../charts/series.js';
import { defaults, type HeatmapChartProps } from './meta.js';

export function HeatmapChart({ props, data, loading, error, emit }: WidgetRenderProps<HeatmapChartProps>) {
  const p = useProps(defaults, props);
  const theme = useChartTheme();
  const { cells, xType } = useMemo(() => {
    const prom = promResult(p.dataPath ? undefined : data);
    // Rows: one series per y value, so the series name is the y category.
    const set = prom
      ? toSeries(data, { legendFormat: p.legendFormat ?? '{{le}}' })
      : toSeries(data, { dataPath: p.dataPath, xField: p.xField, yField: p.valueField, seriesField: typeof p.yField === 'string' ? p.yField : p.yField?.[0] });
    return { cells: heatmapCells(set), xType: set.xType === 'time' ? ('time' as const) : ('category' as const) };
  }, [data, p.dataPath, p.xField, p.yField, p.valueField, p.legendFormat]);
  const option = useMemo(() => heatmapOption(cells, xType, p, theme), [cells, xType, p, theme]);
  return (
    <ChartFrame loading={loading} error={error} empty={cells.length === 0} height={p.height}>
      <EChart option={option} height={p.height} onEvent={(_n, payload) => emit('pointClick', payload)} />
    </ChartFrame>
  );
}
