import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { cartesianDefaults, cartesianSchema } from '../charts/schema.js';

export const meta: WidgetMeta = {
  type: 'ScatterChart',
  name: 'Scatter chart',
  nameZh: '散点图',
  category: 'chart',
  description:
    'Points on value or time axes (e.g. latency vs. payload size). Data: a Prometheus result (matrix/vector, bare or in the API envelope), rows [{x, y, series}] (fields configurable) or series [{name, data:[[x,y]]}].',
  propsSchema: propsSchema(cartesianSchema),
  defaults: { ...cartesianDefaults, xField: 'size', yField: 'latency', seriesField: 'series', unit: 'ms', dataZoom: false, },
  mockData: Array.from({ length: 40 }, (_, i) => ({ size: 100 + ((i * 37) % 900), latency: 20 + ((i * 53) % 180) + i, series: i % 2 ? 'GET' : 'POST' })),
  events: ['pointClick', 'zoom'],
  version: 1,
};
