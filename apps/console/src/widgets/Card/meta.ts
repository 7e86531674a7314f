import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  /** bordered (default), borderless or underlined. */
  variant: z.enum(['outlined', 'borderless']).optional(),
  size: z.enum(['small', 'default']).optional(),
  hoverable: z.boolean().optional(),
  collapsible: z.boolean().optional(),
});
export type CardProps = z.infer<typeof schema>;

export const defaults = { variant: 'outlined', size: 'default', hoverable: false, collapsible: false } satisfies CardProps;

export const meta: WidgetMeta = {
  type: 'Card',
  name: 'Card',
  nameZh: '卡片',
  category: 'layout',
  description: 'A titled box around its child nodes (slot "default"); the slot "extra" goes in the header (e.g. an ActionBar).',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'Card' },
  container: true,
  version: 1,
};
