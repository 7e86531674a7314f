import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** the template's element tree; authors write {$jsx: "..."} and the runtime evaluates it in the sandbox. */
  content: z.any().optional().meta({ 'x-component': 'Jsx' }),
  /** render inline (span) instead of as a block (div). */
  inline: z.boolean().optional(),
});

export type JsxTemplateProps = z.infer<typeof schema>;

export const defaults = { inline: false } satisfies JsxTemplateProps;

export const meta: WidgetMeta = {
  type: 'JsxTemplate',
  name: 'JSX template',
  nameZh: 'JSX 模板',
  category: 'advanced',
  description:
    'Renders a JSX template evaluated by the runtime sandbox as an element tree {type, props, children}. Only allow-listed HTML tags and antd/common components (Tag, Badge, DateTime, StatusBadge, ...) render; handlers can only be {emit: "event"}.',
  propsSchema: propsSchema(schema),
  defaults: {
    ...defaults,
    content: {
      type: 'div',
      children: [
        { type: 'Title', props: { level: 5 }, children: '3 apps' },
        { type: 'Space', children: [{ type: 'Tag', props: { color: 'blue' }, children: 'HEALTH' }, { type: 'Tag', children: 'DATAOPS' }] },
      ],
    },
  },
  mockData: { apps: ['HEALTH', 'DATAOPS', 'AIOPS'] },
  events: [],
  version: 1,
};
