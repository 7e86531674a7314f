import { InputError, toSchema, z } from '@sreworks/kernel';
import type { FastifyPluginAsync } from 'fastify';
import { decodeLokiPush, discoverServiceName } from '../ingest/loki-push.js';
import { DEFAULT_INGEST_LIMITS } from '../ingest/body.js';
import { checkSelectorNotEmpty } from '../labels.js';
import { DEFAULT_LOGQL_LIMITS, evalLogQuery, evalMetricQuery, isMetricExpr } from '../logql/engine.js';
import { parseLogQL, parseSelector } from '../logql/parser.js';
import type { LabelMatcher, Labels } from '../types.js';
import {
  IngestLimiter,
  TELEMETRY_READ,
  TELEMETRY_WRITE,
  bodyBuffer,
  defaultStepMs,
  formatValue,
  header,
  limiterHooks,
  logsFor, logsToRead,
  parseStepParam,
  parseTimeParam,
  rawBodies,
  type LogRoutesOptions,
} from './common.js';

const TAGS = ['logs'];
const NS_PER_MS = 1_000_000n;
const HOUR_NS = 3_600_000_000_000n;

const rangeQuery = z.object({
  query: z.string().min(1).describe('LogQL expression'),
  start: z.string().optional().describe('RFC3339, unix seconds or nanoseconds; default end - 1h'),
  end: z.string().optional().describe('default now'),
  since: z.string().optional().describe('duration before end, used when start is absent'),
  step: z.string().optional().describe('duration or seconds, metric queries only'),
  interval: z.string().optional(),
  limit: z.coerce.number().int().min(0).optional().describe('most lines for log queries, default 100'),
  direction: z.enum(['forward', 'backward']).optional(),
});
const instantQuery = z.object({
  query: z.string().min(1),
  time: z.string().optional(),
  limit: z.coerce.number().int().min(0).optional(),
  direction: z.enum(['forward', 'backward']).optional(),
});
const rangeOnly = z.object({ start: z.string().optional(), end: z.string().optional(), since: z.string().optional(), query: z.string().optional() });
const seriesQuery = z.object({
  'match[]': z.union([z.string(), z.array(z.string())]).optional(),
  match: z.union([z.string(), z.array(z.string())]).optional(),
  start: z.string().optional(),
  end: z.string().optional(),
  since: z.string().optional(),
});

function timeRange(q: { start?: string; end?: string; since?: string }): { start: bigint; end: bigint } {
  const now = BigInt(Date.now()) * NS_PER_MS;
  const end = parseTimeParam(q.end, 'end', now);
  const since = q.since ? BigInt(Math.round(parseStepParam(q.since, 3_600_000))) * NS_PER_MS : HOUR_NS;
  const start = parseTimeParam(q.start, 'start', end - since);
  if (end < start) throw new InputError('end must not be before start', { field: 'end' }, 'LOGQL_RANGE');
  return { start, end };
}

function stats(lines: number, started: number) {
  const execTime = (performance.now() - started) / 1000;
  return { summary: { execTime, totalLinesProcessed: lines, totalEntriesReturned: lines, queueTime: 0 } };
}

/**
 * The Loki HTTP API, mounted under `/loki`: push (JSON and snappy protobuf) and the query API
 * Grafana's Loki data source calls, with Loki's response shapes.
 */
export const lokiRoutes: FastifyPluginAsync<LogRoutesOptions> = async (app, opts) => {
  const ingestLimits = opts.ingestLimits ?? DEFAULT_INGEST_LIMITS;
  const queryLimits = opts.queryLimits ?? DEFAULT_LOGQL_LIMITS;
  const limiter = opts.limiter ?? new IngestLimiter();
  rawBodies(app, opts.bodyLimit ?? 20 * 1024 * 1024);
  const hooks = limiterHooks(limiter);

  app.post('/api/v1/push', {
    config: { permission: TELEMETRY_WRITE },
    schema: { tags: TAGS, summary: 'Push log streams (Loki push API: JSON or snappy-compressed protobuf)' },
    onRequest: hooks.onRequest,
    onResponse: hooks.onResponse,
    handler: async (req, reply) => {
      const logs = logsFor(opts, req);
      const streams = decodeLokiPush(bodyBuffer(req), { contentType: header(req, 'content-type'), contentEncoding: header(req, 'content-encoding') }, ingestLimits);
      await logs.append(opts.discoverServiceName ? discoverServiceName(streams) : streams);
      return reply.code(204).send();
    },
  });

  app.get('/api/v1/query_range', {
    config: { permission: TELEMETRY_READ },
    schema: { tags: TAGS, summary: 'LogQL range query (streams or matrix)', querystring: toSchema(rangeQuery) },
    handler: async (req) => {
      const logs = logsToRead(opts, req);
      const q = req.query as z.infer<typeof rangeQuery>;
      const started = performance.now();
      const expr = parseLogQL(q.query);
      const { start, end } = timeRange(q);
      if (isMetricExpr(expr)) {
        const stepMs = parseStepParam(q.step, defaultStepMs(start, end));
        const series = await evalMetricQuery(logs, expr, { startMs: Number(start / NS_PER_MS), endMs: Number(end / NS_PER_MS), stepMs }, queryLimits);
        return {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: series.map((s) => ({ metric: s.metric, values: s.points.map(([t, v]) => [t / 1000, formatValue(v)]) })),
            stats: stats(0, started),
          },
        };
      }
      const streams = await evalLogQuery(logs, expr, { start, end, limit: q.limit ?? 100, direction: q.direction ?? 'backward' }, queryLimits);
      return { status: 'success', data: { resultType: 'streams', result: streams, stats: stats(streams.reduce((n, s) => n + s.values.length, 0), started) } };
    },
  });

  app.get('/api/v1/query', {
    config: { permission: TELEMETRY_READ },
    schema: { tags: TAGS, summary: 'LogQL instant query (metric expressions: vector result)', querystring: toSchema(instantQuery) },
    handler: async (req) => {
      const logs = logsToRead(opts, req);
      const q = req.query as z.infer<typeof instantQuery>;
      const started = performance.now();
      const expr = parseLogQL(q.query);
      const t = parseTimeParam(q.time, 'time', BigInt(Date.now()) * NS_PER_MS);
      if (!isMetricExpr(expr)) {
        // Loki 3 answers the same: instant queries are for metric expressions only.
        throw new InputError('log queries are not supported as an instant query type, please change your query to a range query type', { field: 'query' }, 'LOGQL_INSTANT_LOG_QUERY');
      }
      const ms = Number(t / NS_PER_MS);
      const series = await evalMetricQuery(logs, expr, { startMs: ms, endMs: ms, stepMs: 1000 }, queryLimits);
      return {
        status: 'success',
        data: {
          resultType: 'vector',
          result: series.map((s) => ({ metric: s.metric, value: [s.points[0]![0] / 1000, formatValue(s.points[0]![1])] })),
          stats: stats(0, started),
        },
      };
    },
  });

  app.get('/api/v1/labels', {
    config: { permission: TELEMETRY_READ },
    schema: { tags: TAGS, summary: 'Label names seen in the time range', querystring: toSchema(rangeOnly) },
    handler: async (req) => {
      const logs = logsToRead(opts, req);
      const q = req.query as z.infer<typeof rangeOnly>;
      const { start, end } = timeRange(q);
      return { status: 'success', data: await logs.labelNames({ from: start, to: end }, q.query ? parseSelector(q.query) : []) };
    },
  });

  app.get('/api/v1/label/:name/values', {
    config: { permission: TELEMETRY_READ },
    schema: {
      tags: TAGS,
      summary: 'Values of one label in the time range',
      params: toSchema(z.object({ name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label name') })),
      querystring: toSchema(rangeOnly),
    },
    handler: async (req) => {
      const logs = logsToRead(opts, req);
      const q = req.query as z.infer<typeof rangeOnly>;
      const { name } = req.params as { name: string };
      const { start, end } = timeRange(q);
      const matchers: LabelMatcher[] = q.query ? parseSelector(q.query) : [];
      return { status: 'success', data: await logs.labelValues(name, { from: start, to: end }, matchers) };
    },
  });

  app.get('/api/v1/index/stats', {
    config: { permission: TELEMETRY_READ },
    schema: { tags: TAGS, summary: 'Streams, entries and bytes a selector covers (Grafana query size hints)', querystring: toSchema(rangeOnly) },
    handler: async (req) => {
      const logs = logsToRead(opts, req);
      const q = req.query as z.infer<typeof rangeOnly>;
      if (!q.query) throw new InputError('query is required', { field: 'query' }, 'LOKI_STATS_QUERY');
      const matchers = parseSelector(q.query);
      checkSelectorNotEmpty(matchers);
      const { start, end } = timeRange(q);
      const width = end - start + 1n;
      const r = await logs.countBuckets({ matchers, from: start, to: end + 1n, width, withBytes: true });
      const entries = r.rows.reduce((n, x) => n + x.count, 0);
      const bytes = r.rows.reduce((n, x) => n + x.bytes, 0);
      return { streams: r.streams.size, chunks: r.streams.size, entries, bytes };
    },
  });

  app.get('/api/v1/status/buildinfo', {
    config: { permission: TELEMETRY_READ },
    schema: { tags: TAGS, summary: 'Build information (Grafana reads the version for feature detection)' },
    handler: async () => ({ version: '3.0.0', revision: 'sreworks', branch: 'main', goVersion: '', buildUser: '', buildDate: '' }),
  });

  app.get('/api/v1/series', {
    config: { permission: TELEMETRY_READ },
    schema: { tags: TAGS, summary: 'Streams matching one or more selectors', querystring: toSchema(seriesQuery) },
    handler: async (req) => {
      const logs = logsToRead(opts, req);
      const q = req.query as z.infer<typeof seriesQuery>;
      const raw = q['match[]'] ?? q.match;
      const selectors = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      if (selectors.length === 0) throw new InputError('at least one match[] selector is required', { field: 'match[]' }, 'LOKI_SERIES_MATCH');
      const { start, end } = timeRange(q);
      const seen = new Map<string, Labels>();
      for (const sel of selectors) {
        const matchers = parseSelector(sel);
        checkSelectorNotEmpty(matchers, 'match[]');
        for (const s of await logs.streams(matchers, { from: start, to: end })) seen.set(s.id, s.labels);
      }
      return { status: 'success', data: [...seen.values()] };
    },
  });
};
