import { useMemo } from 'react';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { useProps } from '../common/useProps.js';
import { ChartFrame } from './ChartFrame.js';
import { EChart, useChartTheme } from './EChart.js';
import { cartesianOption, type CartesianOpts } from './options.js';
import { cartesianDefaults, type CartesianChartProps } from './schema.js';
import { toSeries } from './series.js';

export function CartesianChart({ kind, props, data, loading, error, emit }: WidgetRenderProps<CartesianChartProps> & { kind: CartesianOpts['kind'] }) {
  const p = useProps(cartesianDefaults, props);
  const theme = useChartTheme();
  const set = useMemo(
    () => toSeries(data, { dataPath: p.dataPath, xField: p.xField, yField: p.yField, seriesField: p.seriesField, legendFormat: p.legendFormat }),
    [data, p.dataPath, p.xField, p.yField, p.seriesField, p.legendFormat],
  );
  const option = useMemo(() => cartesianOption(set, { ...p, kind }, theme), [set, p, kind, theme]);
  return (
    <ChartFrame loading={loading} error={error} empty={set.series.length === 0} height={p.height}>
      <EChart option={option} height={p.height} onEvent={(name, payload) => emit(name === 'click' ? 'pointClick' : 'zoom', payload)} />
    </ChartFrame>
  );
}
