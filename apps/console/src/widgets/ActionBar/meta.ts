import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { actionSchema, type ActionDef } from '../common/actionSchema.js';

const schema = z.object({
  actions: z.array(actionSchema).optional(),
  /** buttons shown before the rest go into a "more" menu. */
  maxVisible: z.number().int().min(1).optional(),
  align: z.enum(['start', 'end']).optional(),
  size: z.enum(['small', 'middle', 'large']).optional(),
});
export type ActionBarProps = z.infer<typeof schema>;

export const defaults = { actions: [] as ActionDef[], maxVisible: 4, align: 'end', size: 'middle' } satisfies ActionBarProps;

export const meta: WidgetMeta = {
  type: 'ActionBar',
  name: 'Action bar',
  nameZh: '操作栏',
  category: 'action',
  description: 'A row of buttons, each emitting its own event (default: its key) with its payload; extra ones collapse into a "more" menu.',
  propsSchema: propsSchema(schema),
  defaults: {
    ...defaults,
    actions: [
      { key: 'create', label: 'New app', type: 'primary', icon: 'plus' },
      { key: 'refresh', label: 'Refresh', icon: 'reload' },
      { key: 'export', label: 'Export', icon: 'download' },
    ],
  },
  events: ['create', 'refresh', 'export'],
  version: 1,
};
