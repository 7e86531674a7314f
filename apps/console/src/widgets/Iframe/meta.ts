import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** http(s) or relative URL. */
  src: z.string().optional(),
  title: z.string().optional(),
  height: z.number().int().min(50).max(4000).optional(),
  /** extra sandbox tokens; "allow-same-origin" together with "allow-scripts" is refused (it would undo the sandbox). */
  allow: z.array(z.enum(['allow-scripts', 'allow-forms', 'allow-popups', 'allow-same-origin', 'allow-downloads', 'allow-modals'])).optional(),
});
export type IframeProps = z.infer<typeof schema>;

export const defaults = { height: 400, allow: [] as NonNullable<IframeProps['allow']> } satisfies IframeProps;

export const meta: WidgetMeta = {
  type: 'Iframe',
  name: 'Iframe',
  nameZh: '内嵌页面',
  category: 'advanced',
  description: 'Embeds another page (Grafana panel, runbook) in an iframe that is always sandboxed; only http(s) and relative URLs.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'Embedded page', src: 'about:blank' },
  version: 1,
};
