import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { chartBase } from '../charts/schema.js';

const schema = z.object({ ...chartBase, donut: z.boolean().optional(), roseType: z.boolean().optional() });
export type PieChartProps = z.infer<typeof schema>;

export const defaults = { height: 280, unit: 'none', showLegend: true, donut: true, roseType: false, xField: 'name', yField: 'value' } satisfies PieChartProps;

export const meta: WidgetMeta = {
  type: 'PieChart',
  name: 'Pie chart',
  nameZh: '饼图',
  category: 'chart',
  description: 'Share of a whole: rows [{name, value}] (fields configurable), a Prometheus instant vector (one slice per series) or a matrix (last value of each series).',
  propsSchema: propsSchema(schema),
  defaults,
  mockData: [
    { name: 'Running', value: 42 },
    { name: 'Pending', value: 5 },
    { name: 'Failed', value: 2 },
  ],
  events: ['pointClick'],
  version: 1,
};
