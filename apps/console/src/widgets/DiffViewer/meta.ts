import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  /** texts or objects to compare; without them data.old/data.new (or before/after, left/right). */
  oldValue: z.any().optional(),
  newValue: z.any().optional(),
  oldField: z.string().optional(),
  newField: z.string().optional(),
  oldLabel: z.string().optional(),
  newLabel: z.string().optional(),
  language: z.enum(['yaml', 'json', 'text']).optional(),
  mode: z.enum(['unified', 'split']).optional(),
  /** unchanged lines kept around each change; longer runs collapse. */
  context: z.number().int().min(0).max(100).optional(),
  maxHeight: z.number().int().min(100).optional(),
});
export type DiffViewerProps = z.infer<typeof schema>;

export const defaults = { language: 'yaml', mode: 'unified', context: 3, maxHeight: 600, oldLabel: 'before', newLabel: 'after' } satisfies DiffViewerProps;

export const meta: WidgetMeta = {
  type: 'DiffViewer',
  name: 'Diff viewer',
  nameZh: '差异对比',
  category: 'advanced',
  description: 'Line diff of two texts or objects (objects as YAML with sorted keys), unified or side by side, unchanged runs collapsed; e.g. revision diffs before a rollback.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, oldLabel: 'revision 2', newLabel: 'revision 3' },
  mockData: {
    old: { kind: 'Application', metadata: { name: 'health' }, spec: { components: [{ name: 'health-api', properties: { image: 'health-api:1.4.1', port: 8080 }, traits: [{ type: 'scaler', properties: { replicas: 2 } }] }] } },
    new: { kind: 'Application', metadata: { name: 'health' }, spec: { components: [{ name: 'health-api', properties: { image: 'health-api:1.4.2', port: 8080 }, traits: [{ type: 'scaler', properties: { replicas: 3 } }] }] } },
  },
  version: 1,
};
