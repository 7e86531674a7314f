import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { unitSchema } from '../charts/schema.js';

const schema = z.object({
  title: z.string().optional(),
  /** path of the value in the data; Prometheus vectors/matrices and {value} work without it. */
  valuePath: z.string().optional(),
  unit: unitSchema.optional(),
  decimals: z.number().int().min(0).max(10).optional(),
  /** path of the previous value: shows the change with an up/down arrow. */
  previousPath: z.string().optional(),
  /** whether an increase is good (green) or bad (red). */
  higherIsBetter: z.boolean().optional(),
  thresholds: z.array(z.object({ value: z.number(), status: z.enum(['success', 'warning', 'error']) })).optional(),
  description: z.string().optional(),
});
export type StatCardProps = z.infer<typeof schema>;

export const defaults = { unit: 'none', higherIsBetter: true } satisfies StatCardProps;

export const meta: WidgetMeta = {
  type: 'StatCard',
  name: 'Stat card',
  nameZh: '指标卡',
  category: 'display',
  description: 'One big number with its title, unit, change from a previous value and threshold colour. Reads a number, {value}, a path, or the last point of a Prometheus result.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'Availability (30d)', unit: 'percent', valuePath: 'value', previousPath: 'previous', thresholds: [{ value: 0, status: 'error' }, { value: 0.99, status: 'warning' }, { value: 0.999, status: 'success' }] },
  mockData: { value: 0.9993, previous: 0.9981 },
  events: ['click'],
  version: 1,
};
