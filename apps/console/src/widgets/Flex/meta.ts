import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  vertical: z.boolean().optional(),
  wrap: z.boolean().optional(),
  gap: z.enum(['small', 'middle', 'large']).optional(),
  align: z.enum(['start', 'center', 'end', 'stretch', 'baseline']).optional(),
  justify: z.enum(['start', 'center', 'end', 'space-between', 'space-around', 'space-evenly']).optional(),
  /** children grow to share the width equally. */
  equal: z.boolean().optional(),
});
export type FlexProps = z.infer<typeof schema>;

export const defaults = { vertical: false, wrap: true, gap: 'middle', align: 'stretch', justify: 'start', equal: false } satisfies FlexProps;

export const meta: WidgetMeta = {
  type: 'Flex',
  name: 'Flex',
  nameZh: '弹性布局',
  category: 'layout',
  description: 'Lays out the child nodes of the default slot in a row or column with a theme gap.',
  propsSchema: propsSchema(schema),
  defaults,
  container: true,
  version: 1,
};
