import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** status text; without it the data (or data[field]) is used. */
  status: z.string().optional(),
  field: z.string().optional(),
  label: z.string().optional(),
  /** status word → success | processing | error | warning | default, over the built-in words. */
  map: z.record(z.string(), z.enum(['success', 'processing', 'error', 'warning', 'default'])).optional(),
  variant: z.enum(['dot', 'tag']).optional(),
});
export type StatusBadgeProps = z.infer<typeof schema>;

export const defaults = { variant: 'dot' } satisfies StatusBadgeProps;

export const meta: WidgetMeta = {
  type: 'StatusBadge',
  name: 'Status badge',
  nameZh: '状态徽标',
  category: 'display',
  description: 'A status word as a coloured dot or tag; knows Kubernetes/OAM/job words (Running, CrashLoopBackOff, Progressing, Succeeded…), a map overrides.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, field: 'phase', label: 'Phase' },
  mockData: { phase: 'Running' },
  version: 1,
};
