import { useMemo } from 'react';
import { Flex, Typography } from 'antd';
import type { WidgetRenderProps } from '@sreworks/lowcode';
import { useProps } from '../common/useProps.js';
import { ChartFrame } from '../charts/ChartFrame.js';
import { EChart, useChartTheme } from '../charts/EChart.js';
import { formatUnit } from '../charts/options.js';
import { lastValue, toSeries } from '../charts/series.js';
import { defaults, type SparklineProps } from './meta.js';

export function Sparkline({ props, data, loading, error }: WidgetRenderProps<SparklineProps>) {
  const p = useProps(defaults, props);
  const theme = useChartTheme();
  const set = useMemo(() => toSeries(data, { dataPath: p.dataPath, xField: p.xField, yField: p.yField, legendFormat: p.legendFormat }), [data, p.dataPath, p.xField, p.yField, p.legendFormat]);
  const first = set.series[0];
  const option = useMemo(
    () => ({
      animation: false,
      grid: { left: 0, right: 0, top: 2, bottom: 2 },
      xAxis: { type: set.xType, show: false, boundaryGap: p.kind === 'bar' },
      yAxis: { type: 'value', show: false, scale: true },
      tooltip: { show: false },
      series: first ? [{ type: p.kind === 'bar' ? 'bar' : 'line', data: first.points, showSymbol: false, lineStyle: { width: 1.5, color: theme.palette[0] }, itemStyle: { color: theme.palette[0] }, areaStyle: p.kind === 'area' ? { opacity: 0.2, color: theme.palette[0] } : undefined }] : [],
    }),
    [set.xType, first, p.kind, theme],
  );
  return (
    <ChartFrame loading={loading} error={error} empty={!first} height={p.height}>
      <Flex align="center" gap={12}>
        {p.showValue ? (
          <div style={{ minWidth: 72 }}>
            {p.title ? <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{p.title}</Typography.Text> : null}
            <Typography.Text strong style={{ fontSize: 18 }}>{formatUnit(lastValue(set), p.unit, p.decimals)}</Typography.Text>
          </div>
        ) : null}
        <div style={{ flex: 1, minWidth: 0 }}>
          <EChart option={option} height={p.height} />
        </div>
      </Flex>
    </ChartFrame>
  );
}
