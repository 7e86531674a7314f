import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** text (usually a $(…) template); without it data (or data[field]) is shown. */
  content: z.string().optional(),
  field: z.string().optional(),
  /** 1-5 renders a heading. */
  level: z.number().int().min(1).max(5).optional(),
  type: z.enum(['default', 'secondary', 'success', 'warning', 'danger']).optional(),
  strong: z.boolean().optional(),
  code: z.boolean().optional(),
  copyable: z.boolean().optional(),
  ellipsisRows: z.number().int().min(1).optional(),
});
export type TextProps = z.infer<typeof schema>;

export const defaults = { type: 'default', strong: false, code: false, copyable: false } satisfies TextProps;

export const meta: WidgetMeta = {
  type: 'Text',
  name: 'Text',
  nameZh: '文本',
  category: 'display',
  description: 'A paragraph or heading of plain text (never HTML) with theme text styles, copy button and ellipsis.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, field: 'endpoint', copyable: true, code: true },
  mockData: { endpoint: 'https://health-api.prod.example.com' },
  version: 1,
};
