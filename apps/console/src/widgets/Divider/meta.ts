import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  text: z.string().optional(),
  titlePlacement: z.enum(['start', 'center', 'end']).optional(),
  dashed: z.boolean().optional(),
  vertical: z.boolean().optional(),
});
export type DividerProps = z.infer<typeof schema>;

export const defaults = { titlePlacement: 'start', dashed: false, vertical: false } satisfies DividerProps;

export const meta: WidgetMeta = {
  type: 'Divider',
  name: 'Divider',
  nameZh: '分割线',
  category: 'layout',
  description: 'A horizontal (optionally titled) or vertical separator.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, text: 'Details' },
  version: 1,
};
