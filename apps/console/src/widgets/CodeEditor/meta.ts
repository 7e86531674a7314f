import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  /** initial text or object; without it data (or data[field]). */
  content: z.any().optional(),
  field: z.string().optional(),
  language: z.enum(['json', 'yaml', 'text']).optional(),
  height: z.number().int().min(80).max(4000).optional(),
  wrap: z.boolean().optional(),
  /** show parse errors inline and block Save while the text does not parse. */
  validate: z.boolean().optional(),
  saveText: z.string().optional(),
  /** hide the Save button (the value is still published as output on each change). */
  hideSave: z.boolean().optional(),
});
export type CodeEditorProps = z.infer<typeof schema>;

export const defaults = { language: 'yaml', height: 360, wrap: false, validate: true, saveText: 'Save', hideSave: false } satisfies CodeEditorProps;

export const meta: WidgetMeta = {
  type: 'CodeEditor',
  name: 'Code editor',
  nameZh: '代码编辑器',
  category: 'form',
  description:
    'A light YAML/JSON editor (CodeMirror 6, bundled, lazy-loaded) with inline parse errors. Publishes {text, value, valid} as output; Save (or Ctrl/Cmd-S) emits "save" with the same when the text parses.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'values.yaml' },
  mockData: 'replicaCount: 3\nimage:\n  repository: registry.local/health-api\n  tag: "1.4.2"\nresources:\n  limits: { cpu: 500m, memory: 512Mi }\n',
  events: ['change', 'save'],
  version: 1,
};
