import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** column spans (of 24), one per child of the default slot; missing spans share the rest equally. */
  spans: z.array(z.number().int().min(1).max(24)).optional(),
  gutter: z.number().int().min(0).max(64).optional(),
  align: z.enum(['top', 'middle', 'bottom', 'stretch']).optional(),
  justify: z.enum(['start', 'end', 'center', 'space-around', 'space-between', 'space-evenly']).optional(),
  /** below this width (px) columns stack. */
  stackBelow: z.enum(['none', 'sm', 'md', 'lg']).optional(),
});
export type RowProps = z.infer<typeof schema>;

export const defaults = { spans: [] as number[], gutter: 16, align: 'top', justify: 'start', stackBelow: 'md' } satisfies RowProps;

export const meta: WidgetMeta = {
  type: 'Row',
  name: 'Row / columns',
  nameZh: '行列布局',
  category: 'layout',
  description: 'A row of columns on the 24-column grid: each child node of the default slot gets the next span (SREWorks FLUID rows).',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, spans: [12, 12] },
  container: true,
  version: 1,
};
