import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { cartesianDefaults, cartesianSchema, mockMatrix } from '../charts/schema.js';

export const meta: WidgetMeta = {
  type: 'LineChart',
  name: 'Line chart',
  nameZh: '折线图',
  category: 'chart',
  description:
    'Lines over time or categories; Prometheus range queries plot directly. Data: a Prometheus result (matrix/vector, bare or in the API envelope), rows [{x, y, series}] (fields configurable) or series [{name, data:[[x,y]]}].',
  propsSchema: propsSchema(cartesianSchema),
  defaults: { ...cartesianDefaults,  },
  mockData: mockMatrix(),
  events: ['pointClick', 'zoom'],
  version: 1,
};
