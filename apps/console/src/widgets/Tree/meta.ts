import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  dataPath: z.string().optional(),
  keyField: z.string().optional(),
  titleField: z.string().optional(),
  childrenField: z.string().optional(),
  /** flat lists: build the tree from this parent-key field. */
  parentField: z.string().optional(),
  /** shown as a status dot beside the title (e.g. health of a resource). */
  statusField: z.string().optional(),
  /** shown as a tag before the title (e.g. Deployment, Pod). */
  kindField: z.string().optional(),
  defaultExpandAll: z.boolean().optional(),
  showSearch: z.boolean().optional(),
  showLine: z.boolean().optional(),
  height: z.number().int().min(100).optional(),
});
export type TreeProps = z.infer<typeof schema>;

export const defaults = { keyField: 'key', titleField: 'title', childrenField: 'children', statusField: 'status', kindField: 'kind', defaultExpandAll: true, showSearch: false, showLine: true } satisfies TreeProps;

export const meta: WidgetMeta = {
  type: 'Tree',
  name: 'Tree',
  nameZh: '树',
  category: 'data',
  description: 'Hierarchical data (nested children, or a flat list with a parent field), with kind tags and status dots, e.g. the live status tree of a deployment. Selecting a node emits "select" and publishes it.',
  propsSchema: propsSchema(schema),
  defaults,
  mockData: [
    {
      key: 'app/health',
      title: 'health',
      kind: 'Application',
      status: 'Healthy',
      children: [
        {
          key: 'deploy/health-api',
          title: 'health-api',
          kind: 'Deployment',
          status: 'Progressing',
          children: [
            { key: 'pod/health-api-7d9f-abc', title: 'health-api-7d9f-abc', kind: 'Pod', status: 'Running' },
            { key: 'pod/health-api-7d9f-def', title: 'health-api-7d9f-def', kind: 'Pod', status: 'CrashLoopBackOff' },
          ],
        },
        { key: 'svc/health-api', title: 'health-api', kind: 'Service', status: 'OK' },
      ],
    },
  ],
  events: ['select'],
  version: 1,
};
