import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { cartesianDefaults, cartesianSchema, mockRows } from '../charts/schema.js';

export const meta: WidgetMeta = {
  type: 'BarChart',
  name: 'Bar chart',
  nameZh: '柱状图',
  category: 'chart',
  description:
    'Bars by category or time, grouped or stacked; horizontal option. Data: a Prometheus result (matrix/vector, bare or in the API envelope), rows [{x, y, series}] (fields configurable) or series [{name, data:[[x,y]]}].',
  propsSchema: propsSchema(cartesianSchema),
  defaults: { ...cartesianDefaults, xField: 'x', yField: 'y', seriesField: 'series', dataZoom: false, },
  mockData: mockRows,
  events: ['pointClick', 'zoom'],
  version: 1,
};
