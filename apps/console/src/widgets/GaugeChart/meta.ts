import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { chartBase } from '../charts/schema.js';

const schema = z.object({
  ...chartBase,
  min: z.number().optional(),
  max: z.number().optional(),
  /** colour bands from each value upwards, e.g. [{value:0,color:"green"},{value:80,color:"red"}]. */
  thresholds: z.array(z.object({ value: z.number(), color: z.string() })).optional(),
});
export type GaugeChartProps = z.infer<typeof schema>;

export const defaults = { height: 220, unit: 'percent100', min: 0, max: 100 } satisfies GaugeChartProps;

export const meta: WidgetMeta = {
  type: 'GaugeChart',
  name: 'Gauge',
  nameZh: '仪表盘',
  category: 'chart',
  description: 'One current value on a dial: a number, {value}, a Prometheus vector/scalar, or the last point of a matrix or rows. Threshold colours may be antd palette names (green, gold, red).',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'CPU', thresholds: [{ value: 0, color: 'green' }, { value: 70, color: 'gold' }, { value: 90, color: 'red' }] },
  mockData: { resultType: 'vector', result: [{ metric: { instance: '10.0.0.1:9100' }, value: [1714557600, '63.5'] }] },
  events: [],
  version: 1,
};
