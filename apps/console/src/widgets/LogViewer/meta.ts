import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const schema = z.object({
  title: z.string().optional(),
  dataPath: z.string().optional(),
  height: z.number().int().min(100).max(4000).optional(),
  /** start in follow mode (stick to the newest line; scrolling up pauses it). */
  follow: z.boolean().optional(),
  wrap: z.boolean().optional(),
  showTimestamps: z.boolean().optional(),
  showStream: z.boolean().optional(),
  /** keep only the newest lines. */
  maxLines: z.number().int().min(100).max(1_000_000).optional(),
});
export type LogViewerProps = z.infer<typeof schema>;

export const defaults = { height: 400, follow: true, wrap: false, showTimestamps: true, showStream: false, maxLines: 50_000 } satisfies LogViewerProps;

const t0 = 1_714_557_600_000_000_000n;

export const meta: WidgetMeta = {
  type: 'LogViewer',
  name: 'Log viewer',
  nameZh: '日志查看器',
  category: 'advanced',
  description:
    'Build and pod logs: ANSI colour codes stripped, level colouring, search with highlight and only-matching filter, follow mode, wrap, virtual scrolling. Data: text, lines, records {ts, line} or a Loki streams result.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'health-api build #42' },
  mockData: {
    resultType: 'streams',
    result: [
      {
        stream: { app: 'health-api', container: 'build' },
        values: [
          [String(t0), '\u001b[32mINFO\u001b[0m step 1/4: FROM node:20-alpine'],
          [String(t0 + 1_000_000_000n), 'INFO step 2/4: RUN npm ci'],
          [String(t0 + 2_000_000_000n), '\u001b[33mWARN\u001b[0m deprecated package: request@2.88.2'],
          [String(t0 + 3_000_000_000n), 'ERROR test "health check" failed: expected 200, got 503'],
          [String(t0 + 4_000_000_000n), 'INFO build finished with 1 failure'],
        ],
      },
    ],
  },
  events: [],
  version: 1,
};
