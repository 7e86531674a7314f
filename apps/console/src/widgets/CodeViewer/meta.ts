import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  /** text or an object (shown as JSON/YAML); without it data (or data[field]). */
  content: z.any().optional(),
  field: z.string().optional(),
  language: z.enum(['json', 'yaml', 'text']).optional(),
  maxHeight: z.number().int().min(60).max(4000).optional(),
  wrap: z.boolean().optional(),
  copyable: z.boolean().optional(),
});
export type CodeViewerProps = z.infer<typeof schema>;

export const defaults = { language: 'yaml', maxHeight: 480, wrap: false, copyable: true } satisfies CodeViewerProps;

export const meta: WidgetMeta = {
  type: 'CodeViewer',
  name: 'Code viewer',
  nameZh: '代码查看器',
  category: 'advanced',
  description: 'Read-only YAML/JSON/text with syntax colours from the theme, line numbers, folding and copy; objects are serialised in the chosen language.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'application.yaml' },
  mockData: {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'health' },
    spec: { components: [{ name: 'health-api', type: 'webservice', properties: { image: 'registry.local/health-api:1.4.2', port: 8080 }, traits: [{ type: 'scaler', properties: { replicas: 3 } }] }] },
  },
  version: 1,
};
