import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  /** static steps; or rows from data with titleField/descriptionField/statusField. */
  items: z.array(z.object({ title: z.string(), description: z.string().optional() })).optional(),
  dataPath: z.string().optional(),
  titleField: z.string().optional(),
  descriptionField: z.string().optional(),
  statusField: z.string().optional(),
  /** index of the current step; without it, derived from the step statuses. */
  current: z.number().int().min(0).optional(),
  vertical: z.boolean().optional(),
  size: z.enum(['small', 'medium']).optional(),
});
export type StepsProps = z.infer<typeof schema>;

export const defaults = { titleField: 'name', descriptionField: 'message', statusField: 'status', vertical: false, size: 'medium' } satisfies StepsProps;

export const meta: WidgetMeta = {
  type: 'Steps',
  name: 'Steps',
  nameZh: '步骤条',
  category: 'data',
  description: 'Progress through ordered steps (a deployment plan, a build pipeline); step state from each row\'s status (Succeeded, Running, Failed, Pending).',
  propsSchema: propsSchema(schema),
  defaults,
  mockData: [
    { name: 'Render', status: 'Succeeded', message: '4 resources' },
    { name: 'Plan', status: 'Succeeded' },
    { name: 'Apply', status: 'Running', message: '2/4 applied' },
    { name: 'Verify', status: 'Pending' },
  ],
  events: ['change'],
  version: 1,
};
