import type { WidgetRenderProps } from '@sreworks/lowcode';
import { CartesianChart } from '../charts/CartesianChart.js';
import type { CartesianChartProps } from '../charts/schema.js';

export function LineChart(props: WidgetRenderProps<CartesianChartProps>) {
  return <CartesianChart {...props} kind="line" />;
}
