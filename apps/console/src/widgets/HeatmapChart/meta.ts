import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { chartBase } from '../charts/schema.js';

const schema = z.object({ ...chartBase, valueField: z.string().optional() });
export type HeatmapChartProps = z.infer<typeof schema>;

export const defaults = { height: 300, unit: 'none', xField: 'x', yField: 'y', valueField: 'value' } satisfies HeatmapChartProps;

const hours = ['00', '04', '08', '12', '16', '20'];
const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

export const meta: WidgetMeta = {
  type: 'HeatmapChart',
  name: 'Heatmap',
  nameZh: '热力图',
  category: 'chart',
  description: 'Values on an x × y grid: rows [{x, y, value}] (fields configurable), or a Prometheus histogram matrix (one series per `le` bucket becomes a row).',
  propsSchema: propsSchema(schema),
  defaults,
  mockData: days.flatMap((d, i) => hours.map((h, j) => ({ x: h, y: d, value: (i * 7 + j * 3) % 11 }))),
  events: ['pointClick'],
  version: 1,
};
