import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';
import { unitSchema } from '../charts/schema.js';

const schema = z.object({
  title: z.string().optional(),
  items: z.array(z.object({ label: z.string(), field: z.string().min(1), unit: unitSchema.optional(), decimals: z.number().int().min(0).max(10).optional() })).optional(),
  dataPath: z.string().optional(),
  bordered: z.boolean().optional(),
});
export type StatisticGroupProps = z.infer<typeof schema>;

export const defaults = { bordered: true } satisfies StatisticGroupProps;

export const meta: WidgetMeta = {
  type: 'StatisticGroup',
  name: 'Statistic group',
  nameZh: '统计组',
  category: 'display',
  description: 'Several numbers from one record side by side (apps, clusters, alerts firing…); without items every numeric field is shown.',
  propsSchema: propsSchema(schema),
  defaults: {
    ...defaults,
    items: [
      { label: 'Apps', field: 'apps' },
      { label: 'Clusters', field: 'clusters' },
      { label: 'Deployments today', field: 'deploys' },
      { label: 'Error rate', field: 'errorRate', unit: 'percent' },
    ],
  },
  mockData: { apps: 14, clusters: 3, deploys: 27, errorRate: 0.0042 },
  version: 1,
};
