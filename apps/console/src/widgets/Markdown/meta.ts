import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** markdown source; without it the data (or data[field]) is rendered. */
  content: z.string().optional().meta({ 'x-component': 'Markdown' }),
  field: z.string().optional(),
});
export type MarkdownProps = z.infer<typeof schema>;

export const defaults = {} satisfies MarkdownProps;

export const meta: WidgetMeta = {
  type: 'Markdown',
  name: 'Markdown',
  nameZh: 'Markdown 文本',
  category: 'display',
  description: 'GitHub-flavoured markdown rendered to React elements: raw HTML is shown as text, links only http(s)/mailto/relative, images only http(s)/relative.',
  propsSchema: propsSchema(schema),
  defaults: {
    content: '## Runbook\n\n1. Check the **error rate** panel.\n2. Roll back with `sreworks app rollback`.\n\n| step | owner |\n|---|---|\n| triage | on-call |\n\n> Escalate after 15 minutes. See [the wiki](https://example.com/wiki).',
  },
  mockData: undefined,
  version: 1,
};
