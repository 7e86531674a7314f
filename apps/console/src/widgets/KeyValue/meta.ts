import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  dataPath: z.string().optional(),
  /** show as tags ("k=v", compact, for labels/annotations) or as a two-column list. */
  mode: z.enum(['tags', 'list']).optional(),
  sort: z.boolean().optional(),
});
export type KeyValueProps = z.infer<typeof schema>;

export const defaults = { mode: 'list', sort: true } satisfies KeyValueProps;

export const meta: WidgetMeta = {
  type: 'KeyValue',
  name: 'Key/value',
  nameZh: '键值对',
  category: 'data',
  description: 'Every key of an object (labels, annotations, env vars, config maps), as a list or as k=v tags. Also accepts [{key, value}] arrays.',
  propsSchema: propsSchema(schema),
  defaults,
  mockData: { 'app.kubernetes.io/name': 'health-api', 'app.kubernetes.io/version': '1.4.2', tier: 'backend', team: 'sre' },
  version: 1,
};
