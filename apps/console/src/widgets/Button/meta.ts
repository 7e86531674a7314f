import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { iconSchema } from '../common/actionSchema.js';

const schema = z.object({
  label: z.string().optional(),
  /** event to emit on click (bound to actions in the page). */
  event: z.string().min(1).optional(),
  payload: z.any().optional(),
  type: z.enum(['primary', 'default', 'dashed', 'link', 'text']).optional(),
  danger: z.boolean().optional(),
  icon: iconSchema.optional(),
  confirm: z.string().optional(),
  disabled: z.boolean().optional(),
  block: z.boolean().optional(),
  size: z.enum(['small', 'middle', 'large']).optional(),
});
export type ButtonProps = z.infer<typeof schema>;

export const defaults = { label: 'Button', event: 'click', type: 'default', danger: false, disabled: false, block: false, size: 'middle' } satisfies ButtonProps;

export const meta: WidgetMeta = {
  type: 'Button',
  name: 'Button',
  nameZh: '按钮',
  category: 'action',
  description: 'A button that emits an event (default "click") with an optional payload, after an optional confirmation.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, label: 'Deploy', type: 'primary', icon: 'play', event: 'deploy', confirm: 'Deploy revision 4 to prod?' },
  events: ['click'],
  version: 1,
};
