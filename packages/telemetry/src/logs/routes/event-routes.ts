import { InputError, toSchema, z } from '@sreworks/kernel';
import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_INGEST_LIMITS, decodeBody, mediaType, parseJsonBody } from '../ingest/body.js';
import { decodeEvents } from '../ingest/events.js';
import { parseSelector } from '../logql/parser.js';
import { isValidLabelName } from '../labels.js';
import type { LabelMatcher } from '../types.js';
import { IngestLimiter, TELEMETRY_READ, TELEMETRY_WRITE, bodyBuffer, header, limiterHooks, logsFor, logsToRead, rawBodies, type LogRoutesOptions } from './common.js';

const searchQuery = z.object({
  from: z.string().optional().describe('ISO-8601 or epoch ms; default to - 24h'),
  to: z.string().optional().describe('ISO-8601 or epoch ms; default now'),
  labels: z.string().optional().describe('a selector {type="Warning"} or key=value pairs separated by commas'),
  q: z.string().max(1000).optional().describe('free text; every word must appear in reason or message'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(500).optional(),
});

function msParam(v: string | undefined, field: string, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new InputError(`cannot parse "${v}" as a time (ISO-8601 or epoch ms)`, { field }, 'EVENTS_TIME');
  return t;
}

function labelMatchers(v: string | undefined): LabelMatcher[] {
  if (!v) return [];
  if (v.trim().startsWith('{')) return parseSelector(v);
  return v.split(',').map((pair) => {
    const i = pair.indexOf('=');
    const name = pair.slice(0, i).trim();
    if (i <= 0 || !isValidLabelName(name)) throw new InputError(`labels must be key=value pairs or a {…} selector, got "${pair}"`, { field: 'labels' }, 'EVENTS_LABELS');
    return { name, op: '=' as const, value: pair.slice(i + 1).trim() };
  });
}

/** Events in (`POST /api/events`, native or Kubernetes-shaped JSON) and event search (`GET /api/events`). */
export const eventRoutes: FastifyPluginAsync<LogRoutesOptions> = async (app, opts) => {
  const limiter = opts.limiter ?? new IngestLimiter();
  const limits = opts.ingestLimits ?? DEFAULT_INGEST_LIMITS;
  rawBodies(app, opts.bodyLimit ?? 5 * 1024 * 1024);
  const hooks = limiterHooks(limiter);
  app.post('/events', {
    config: { permission: TELEMETRY_WRITE },
    schema: {
      tags: ['events'],
      summary: 'Record events (JSON: one, an array, {events:[…]}, or Kubernetes Event objects)',
      querystring: toSchema(z.object({ cluster: z.string().max(253).optional().describe('cluster label for Kubernetes events') })),
    },
    onRequest: hooks.onRequest,
    onResponse: hooks.onResponse,
    handler: async (req, reply) => {
      const logs = logsFor(opts, req);
      const ct = mediaType(header(req, 'content-type'));
      if (ct !== 'application/json') {
        throw new InputError(`unsupported Content-Type "${header(req, 'content-type')}" (application/json)`, { field: 'headers.content-type' }, 'EVENTS_CONTENT_TYPE');
      }
      const doc = parseJsonBody(decodeBody(bodyBuffer(req), header(req, 'content-encoding'), limits, 'EVENTS'), 'EVENTS');
      const events = decodeEvents(doc, { cluster: (req.query as { cluster?: string }).cluster });
      const r = await logs.appendEvents(events);
      return reply.code(202).send({ accepted: r.accepted });
    },
  });

  app.get('/events', {
    config: { permission: TELEMETRY_READ },
    schema: { tags: ['events'], summary: 'Search events by time, labels and text, newest first', querystring: toSchema(searchQuery) },
    handler: async (req) => {
      const logs = logsToRead(opts, req);
      const q = req.query as z.infer<typeof searchQuery>;
      const to = msParam(q.to, 'to', Date.now());
      const from = msParam(q.from, 'from', to - 24 * 3_600_000);
      if (to < from) throw new InputError('to must not be before from', { field: 'to' }, 'EVENTS_TIME');
      return logs.searchEvents({ from, to: to + 1, matchers: labelMatchers(q.labels), text: q.q, limit: q.limit, cursor: q.cursor });
    },
  });
};
