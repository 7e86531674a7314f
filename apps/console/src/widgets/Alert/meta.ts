import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  type: z.enum(['success', 'info', 'warning', 'error']).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  /** show only when the data (or data[field]) is truthy / non-empty. */
  showWhenField: z.string().optional(),
  closable: z.boolean().optional(),
  banner: z.boolean().optional(),
});
export type AlertProps = z.infer<typeof schema>;

export const defaults = { type: 'info', closable: false, banner: false } satisfies AlertProps;

export const meta: WidgetMeta = {
  type: 'Alert',
  name: 'Alert',
  nameZh: '警告提示',
  category: 'display',
  description: 'A coloured message box (info, success, warning, error), optionally shown only when a data field is set.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, type: 'warning', title: 'Cluster prod-1 is draining', description: 'New deployments to prod-1 are queued until maintenance ends.' },
  version: 1,
};
