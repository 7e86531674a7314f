import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  /** message; without it the data's error ({error:{code,message}}, {message}, a string) is shown. */
  message: z.string().optional(),
  showRetry: z.boolean().optional(),
});
export type ErrorStateProps = z.infer<typeof schema>;

export const defaults = { showRetry: true } satisfies ErrorStateProps;

export const meta: WidgetMeta = {
  type: 'ErrorState',
  name: 'Error state',
  nameZh: '错误状态',
  category: 'display',
  description: 'An error panel for a failed load: shows the platform error code and message ({error:{code, message, details}}) and a Retry button that emits "retry".',
  propsSchema: propsSchema(schema),
  defaults,
  mockData: { error: { code: 'OAM_RENDER_TRAIT_FIELD', message: 'trait "scaler": spec.replicas must be an integer', details: { field: 'traits[0].spec.replicas' } } },
  events: ['retry'],
  version: 1,
};
