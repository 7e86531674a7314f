import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { chartBase, mockMatrix } from '../charts/schema.js';

const schema = z.object({ ...chartBase, kind: z.enum(['line', 'area', 'bar']).optional(), showValue: z.boolean().optional() });
export type SparklineProps = z.infer<typeof schema>;

export const defaults = { height: 48, unit: 'none', kind: 'area', showValue: true } satisfies SparklineProps;

export const meta: WidgetMeta = {
  type: 'Sparkline',
  name: 'Sparkline',
  nameZh: '迷你图',
  category: 'chart',
  description: 'A tiny axis-less trend of the first series with its latest value; same data shapes as the line chart.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'req/s' },
  mockData: mockMatrix(['10.0.0.1:9100']),
  events: [],
  version: 1,
};
