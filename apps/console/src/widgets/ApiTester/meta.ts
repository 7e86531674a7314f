import { z } from 'zod';
import type { WidgetMeta } from '@sreworks/lowcode';
import { propsSchema } from '../common/props.js';

const methods = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const schema = z.object({
  title: z.string().optional(),
  method: methods.optional(),
  /** a platform API path ("/api/..."); other origins are refused. */
  url: z.string().optional(),
  /** JSON request body as text. */
  body: z.string().optional(),
  methods: z.array(methods).optional(),
  /** send once on mount. */
  autoSend: z.boolean().optional(),
});
export type ApiTesterProps = z.infer<typeof schema>;

export const defaults = { method: 'GET', url: '/api/health', body: '', methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as z.infer<typeof methods>[], autoSend: false } satisfies ApiTesterProps;

export const meta: WidgetMeta = {
  type: 'ApiTester',
  name: 'API tester',
  nameZh: 'API 调试',
  category: 'advanced',
  description: 'Send a request to the platform API (same origin, the session\'s permissions) and see the JSON answer or the error code, with timing. Emits "response" and publishes the answer.',
  propsSchema: propsSchema(schema),
  defaults: { ...defaults, title: 'Try the API', url: '/api/apps?limit=5' },
  events: ['response', 'error'],
  version: 1,
};
