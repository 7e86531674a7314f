import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  dataPath: z.string().optional(),
  timeField: z.string().optional(),
  titleField: z.string().optional(),
  contentField: z.string().optional(),
  statusField: z.string().optional(),
  mode: z.enum(['start', 'alternate', 'end']).optional(),
  /** newest first. */
  reverse: z.boolean().optional(),
  /** relative times ("5m ago") instead of timestamps. */
  relative: z.boolean().optional(),
});
export type TimelineProps = z.infer<typeof schema>;

export const defaults = { timeField: 'time', titleField: 'title', contentField: 'content', statusField: 'status', mode: 'start', reverse: false, relative: false } satisfies TimelineProps;

export const meta: WidgetMeta = {
  type: 'Timeline',
  name: 'Timeline',
  nameZh: '时间线',
  category: 'data',
  description: 'Events in time order (deploy history, incident updates) with status colours; rows with time, title, content, status fields.',
  propsSchema: propsSchema(schema),
  defaults,
  mockData: [
    { time: '2024-05-01T10:00:00Z', title: 'Revision 3 deployed', content: 'health-api 1.4.2', status: 'succeeded' },
    { time: '2024-05-01T10:05:00Z', title: 'Rollout paused', content: '1/3 pods unavailable', status: 'warning' },
    { time: '2024-05-01T10:09:00Z', title: 'Rolled back to revision 2', status: 'failed' },
  ],
  events: ['itemClick'],
  version: 1,
};
