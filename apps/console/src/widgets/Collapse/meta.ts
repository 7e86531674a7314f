import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  items: z.array(z.object({ key: z.string().min(1), label: z.string() })).optional(),
  defaultActiveKeys: z.array(z.string()).optional(),
  accordion: z.boolean().optional(),
  ghost: z.boolean().optional(),
});
export type CollapseProps = z.infer<typeof schema>;

export const defaults = { items: [] as NonNullable<CollapseProps['items']>, defaultActiveKeys: [] as string[], accordion: false, ghost: false } satisfies CollapseProps;

export const meta: WidgetMeta = {
  type: 'Collapse',
  name: 'Collapse',
  nameZh: '折叠面板',
  category: 'layout',
  description: 'Collapsible panels; each item renders the slot with its key. Closed panels are not rendered until opened.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, items: [{ key: 'spec', label: 'Spec' }, { key: 'status', label: 'Status' }], defaultActiveKeys: ['spec'] },
  events: ['change'],
  container: true,
  version: 1,
};
