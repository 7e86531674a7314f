import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { cartesianDefaults, cartesianSchema, mockMatrix } from '../charts/schema.js';

export const meta: WidgetMeta = {
  type: 'AreaChart',
  name: 'Area chart',
  nameZh: '面积图',
  category: 'chart',
  description:
    'Filled lines, optionally stacked (e.g. CPU by mode). Data: a Prometheus result (matrix/vector, bare or in the API envelope), rows [{x, y, series}] (fields configurable) or series [{name, data:[[x,y]]}].',
  propsSchema: propsSchema(cartesianSchema),
  defaults: { ...cartesianDefaults, stack: true, smooth: true, },
  mockData: mockMatrix(),
  events: ['pointClick', 'zoom'],
  version: 1,
};
