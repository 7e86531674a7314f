import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

export const itemSchema = z.object({
  field: z.string().min(1).describe('path in the data object'),
  label: z.string().optional(),
  format: z.enum(['text', 'number', 'percent', 'bytes', 'duration', 'datetime', 'relativeTime', 'json', 'boolean', 'badge', 'tag', 'code']).optional(),
  span: z.number().int().min(1).max(4).optional(),
});

const schema = z.object({
  title: z.string().optional(),
  /** fields to show; without items every top-level key is shown. */
  items: z.array(itemSchema).optional(),
  dataPath: z.string().optional(),
  column: z.number().int().min(1).max(4).optional(),
  bordered: z.boolean().optional(),
  size: z.enum(['small', 'middle', 'large']).optional(),
});
export type DescriptionsProps = z.infer<typeof schema>;
export type DescriptionItem = z.infer<typeof itemSchema>;

export const defaults = { column: 2, bordered: true, size: 'small' } satisfies DescriptionsProps;

export const meta: WidgetMeta = {
  type: 'Descriptions',
  name: 'Descriptions',
  nameZh: '描述列表',
  category: 'data',
  description: 'Label/value pairs of one record (an object, or the first row of a list), with per-field formats.',
  propsSchema: propsSchema(schema),
  defaults: {
    ...defaults,
    title: 'Component',
    items: [
      { field: 'name', label: 'Name' },
      { field: 'status', label: 'Status', format: 'badge' },
      { field: 'image', label: 'Image', format: 'code' },
      { field: 'createdAt', label: 'Created', format: 'datetime' },
      { field: 'memory', label: 'Memory', format: 'bytes' },
    ],
  },
  mockData: { name: 'health-api', status: 'Running', image: 'registry.local/health-api:1.4.2', createdAt: '2024-05-01T10:00:00Z', memory: 536870912 },
  version: 1,
};
