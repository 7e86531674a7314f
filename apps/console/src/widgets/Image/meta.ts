import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** http(s), relative or data:image URL; without it data (or data[field]) is used. */
  src: z.string().optional(),
  field: z.string().optional(),
  alt: z.string().optional(),
  width: z.union([z.number().int().positive(), z.string()]).optional(),
  height: z.union([z.number().int().positive(), z.string()]).optional(),
  preview: z.boolean().optional(),
});
export type ImageProps = z.infer<typeof schema>;

export const defaults = { preview: true, alt: '' } satisfies ImageProps;

export const meta: WidgetMeta = {
  type: 'Image',
  name: 'Image',
  nameZh: '图片',
  category: 'display',
  description: 'An image (architecture diagram, topology snapshot) with click-to-zoom; only http(s), relative and data:image URLs are loaded.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, alt: 'topology', width: 240, src: 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%22120%22 height=%2260%22%3E%3Crect width=%22120%22 height=%2260%22 fill=%22%23ddd%22/%3E%3C/svg%3E' },
  version: 1,
};
