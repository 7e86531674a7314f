import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** one tab per item; each tab renders the node's slot named by its key. */
  items: z.array(z.object({ key: z.string().min(1), label: z.string(), disabled: z.boolean().optional() })).optional(),
  defaultActiveKey: z.string().optional(),
  type: z.enum(['line', 'card']).optional(),
  placement: z.enum(['top', 'start', 'end', 'bottom']).optional(),
  /** render inactive tabs only once visited (their data sources load lazily). */
  lazy: z.boolean().optional(),
});
export type TabsProps = z.infer<typeof schema>;

export const defaults = { items: [] as NonNullable<TabsProps['items']>, type: 'line', placement: 'top', lazy: true } satisfies TabsProps;

export const meta: WidgetMeta = {
  type: 'Tabs',
  name: 'Tabs',
  nameZh: '标签页',
  category: 'layout',
  description: 'Tabbed container: each item renders the child nodes of the slot with the same key. Publishes the active key as output and emits "change".',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, items: [{ key: 'overview', label: 'Overview' }, { key: 'logs', label: 'Logs' }] },
  events: ['change'],
  container: true,
  version: 1,
};
