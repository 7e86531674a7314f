import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { iconSchema } from '../common/actionSchema.js';

const schema = z.object({
  buttonText: z.string().optional(),
  buttonType: z.enum(['primary', 'default', 'dashed', 'link', 'text']).optional(),
  icon: iconSchema.optional(),
  title: z.string().optional(),
  mode: z.enum(['modal', 'drawer']).optional(),
  width: z.number().int().min(200).max(2000).optional(),
  /** an OK button that emits "ok" and closes; without it there is no footer (the content has its own buttons). */
  okText: z.string().optional(),
});
export type ModalTriggerProps = z.infer<typeof schema>;

export const defaults = { buttonText: 'Open', buttonType: 'default', mode: 'modal', width: 640 } satisfies ModalTriggerProps;

export const meta: WidgetMeta = {
  type: 'ModalTrigger',
  name: 'Modal trigger',
  nameZh: '弹窗触发器',
  category: 'action',
  description: 'A button opening a modal or drawer that renders the child nodes of its default slot (mounted on first open, so their data loads then). Emits "open", "close" and "ok".',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, buttonText: 'Show YAML', title: 'Application YAML', mode: 'drawer' },
  events: ['open', 'close', 'ok'],
  container: true,
  version: 1,
};
