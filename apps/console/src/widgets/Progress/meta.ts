import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  /** fixed percent (0-100); otherwise from data via valuePath (and totalPath for value/total). */
  percent: z.number().min(0).max(100).optional(),
  valuePath: z.string().optional(),
  totalPath: z.string().optional(),
  type: z.enum(['line', 'circle', 'dashboard']).optional(),
  /** percent above which the bar turns warning / error (usage bars). */
  warnAt: z.number().min(0).max(100).optional(),
  errorAt: z.number().min(0).max(100).optional(),
  size: z.enum(['small', 'default']).optional(),
});
export type ProgressProps = z.infer<typeof schema>;

export const defaults = { type: 'line', size: 'default' } satisfies ProgressProps;

export const meta: WidgetMeta = {
  type: 'Progress',
  name: 'Progress',
  nameZh: '进度条',
  category: 'display',
  description: 'A percent as a bar, circle or dashboard: fixed, from a path, or value/total (e.g. ready replicas of desired, disk used of size), with warning/error levels.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'Ready replicas', valuePath: 'ready', totalPath: 'desired' },
  mockData: { ready: 2, desired: 3 },
  version: 1,
};
