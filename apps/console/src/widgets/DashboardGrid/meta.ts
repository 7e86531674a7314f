import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  columns: z.number().int().min(1).max(48).optional(),
  rowHeight: z.number().int().min(4).max(400).optional(),
  gap: z.number().int().min(0).max(48).optional(),
  /** placed panels: slot name + grid position (x, w in columns; y, h in rows), as SREWorks gridPos. */
  items: z
    .array(z.object({ slot: z.string().min(1), x: z.number().int().min(0), y: z.number().int().min(0), w: z.number().int().min(1), h: z.number().int().min(1) }))
    .optional(),
  /** size of children of the default slot, which flow after the placed panels. */
  defaultW: z.number().int().min(1).optional(),
  defaultH: z.number().int().min(1).optional(),
  /** stack all panels in one column on narrow screens. */
  stackOnMobile: z.boolean().optional(),
});
export type DashboardGridProps = z.infer<typeof schema>;

export const defaults = { columns: 12, rowHeight: 30, gap: 8, items: [] as NonNullable<DashboardGridProps['items']>, defaultW: 6, defaultH: 8, stackOnMobile: true } satisfies DashboardGridProps;

export const meta: WidgetMeta = {
  type: 'DashboardGrid',
  name: 'Dashboard grid',
  nameZh: '仪表板网格',
  category: 'layout',
  description: 'A CSS grid of panels: named slots placed at {x, y, w, h} (12 columns by default, like SREWorks CUSTOM pages), plus default-slot children flowing after them.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, items: [{ slot: 'cpu', x: 0, y: 0, w: 6, h: 8 }, { slot: 'mem', x: 6, y: 0, w: 6, h: 8 }] },
  container: true,
  version: 1,
};
