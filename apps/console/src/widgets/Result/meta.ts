import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  status: z.enum(['success', 'error', 'info', 'warning', '403', '404', '500']).optional(),
  title: z.string().optional(),
  subTitle: z.string().optional(),
  /** buttons; each emits its event. */
  actions: z.array(z.object({ label: z.string(), event: z.string().min(1), primary: z.boolean().optional() })).optional(),
});
export type ResultProps = z.infer<typeof schema>;

export const defaults = { status: 'success', actions: [] as NonNullable<ResultProps['actions']> } satisfies ResultProps;

export const meta: WidgetMeta = {
  type: 'Result',
  name: 'Result',
  nameZh: '结果页',
  category: 'display',
  description: 'The outcome of an operation (deployment submitted, permission denied, not found) with follow-up buttons.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'Deployment submitted', subTitle: 'Revision 4 of health-api is rolling out.', actions: [{ label: 'View deployment', event: 'view', primary: true }, { label: 'Back', event: 'back' }] },
  events: ['view', 'back'],
  version: 1,
};
