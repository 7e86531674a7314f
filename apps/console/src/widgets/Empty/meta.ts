import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  description: z.string().optional(),
  simple: z.boolean().optional(),
  /** a call-to-action button that emits "action". */
  actionText: z.string().optional(),
});
export type EmptyProps = z.infer<typeof schema>;

export const defaults = { simple: false } satisfies EmptyProps;

export const meta: WidgetMeta = {
  type: 'Empty',
  name: 'Empty state',
  nameZh: '空状态',
  category: 'display',
  description: 'A "nothing here yet" placeholder with an optional call to action.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, description: 'No apps yet', actionText: 'Create app' },
  events: ['action'],
  version: 1,
};
