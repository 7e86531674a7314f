// The Prometheus HTTP API (query side and remote_write) as a Fastify plugin, mounted by the
// server under /prometheus, and OTLP/HTTP metrics under /otlp. Query routes answer in
// Prometheus' own shape ({status, data} / {status:'error', errorType, error}) so Grafana's
// Prometheus data source works unchanged.
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, isPlatformError, PlatformError, TooManyRequestsError, toSchema, z } from '@sreworks/kernel';
import type { Matcher, PromQLEngine, Queryable, QueryLimits } from '@sreworks/promql';
import { DEFAULT_TENANT_LABEL, readTenants, scopedQueryable, stampTenant } from './tenant.js';
import { decodeWriteRequest, LabelCache, snappyDecode } from './ingest/remote-write.js';
import { decodeOtlpMetrics } from './ingest/otlp-proto.js';
import { OtlpMetricsTranslator } from './ingest/otlp.js';
import { MetricsIngestor, throwIfRejected } from './ingest/ingestor.js';
import { parseDuration, parseSelector, parseTime } from './params.js';
import type { MetricsStore } from './types.js';

export interface MetricsRoutesOptions {
  engine: PromQLEngine;
  store: MetricsStore;
  /** shared with other ingestion paths (scrape) so one bound applies; created when absent. */
  ingestor?: MetricsIngestor;
  limits?: QueryLimits;
  /** longest query range accepted (default 366 days). */
  maxQueryRangeMs?: number;
  /** largest compressed remote_write body (default 32 MiB). */
  maxBodyBytes?: number;
  /**
   * The team a request acts for (e.g. the team of its ingestion token). When it returns one,
   * written series get `tenantLabel=<team>` and reads see only that team's series.
   */
  tenantOf?: (request: FastifyRequest) => string | undefined;
  /** The teams a read covers (a member of several teams reads them all); default [tenantOf]. */
  readTenantsOf?: (request: FastifyRequest) => string[] | undefined;
  /** default `team`. */
  tenantLabel?: string;
}

const TAGS = ['telemetry'];
const MAX_POINTS = 11_000; // as Prometheus: points per series in a range query

const promOk = z.object({ status: z.literal('success'), data: z.any(), warnings: z.array(z.string()).optional() });
const promErr = z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() });
// refusals by the platform's authentication (401/403) keep the platform's error shape
const platformErr = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.any() }) });
const promResponses = { 200: toSchema(promOk, 'output'), 401: toSchema(platformErr, 'output'), 403: toSchema(platformErr, 'output'), '4xx': toSchema(promErr, 'output'), '5xx': toSchema(promErr, 'output') };

const queryParams = z.object({ query: z.string().min(1), time: z.string().optional(), timeout: z.string().optional(), limit: z.coerce.number().int().min(0).optional() });
const rangeParams = z.object({ query: z.string().min(1), start: z.string(), end: z.string(), step: z.string(), timeout: z.string().optional(), limit: z.coerce.number().int().min(0).optional() });
const matchParams = z.object({ 'match[]': z.array(z.string()).optional(), start: z.string().optional(), end: z.string().optional(), limit: z.coerce.number().int().min(0).optional() });
// form bodies (POST, what Grafana sends) are text: the server validates bodies without coercion
const limitText = z.string().regex(/^\d+$/).optional();
const queryForm = queryParams.extend({ limit: limitText });
const rangeForm = rangeParams.extend({ limit: limitText });
const matchForm = matchParams.extend({ limit: limitText });
const metadataParams = z.object({ metric: z.string().optional(), limit: z.coerce.number().int().optional(), limit_per_metric: z.coerce.number().int().optional() });

type Params = Record<string, string | string[] | number | undefined>;

/** GET reads the query string; POST reads a form body (what Grafana sends). */
function params(req: FastifyRequest): Params {
  return (req.method === 'POST' ? (req.body ?? {}) : (req.query ?? {})) as Params;
}
function str(p: Params, k: string): string | undefined {
  const v = p[k];
  return Array.isArray(v) ? v[v.length - 1] : v === undefined ? undefined : String(v);
}
function list(p: Params, k: string): string[] {
  const v = p[k];
  return v === undefined ? [] : Array.isArray(v) ? v : [String(v)];
}

/** Replaces, inside this plugin only, any parser the server may have registered for the type. */
function ownParser(app: FastifyInstance, type: string): void {
  if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
}

function registerFormParser(app: FastifyInstance): void {
  ownParser(app, 'application/x-www-form-urlencoded');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(body as string)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    if (typeof out['match[]'] === 'string') out['match[]'] = [out['match[]']];
    done(null, out);
  });
}

/** Prometheus' errorType for an error thrown by the engine or the store. */
const ERROR_STATUS: Record<string, number> = { bad_data: 400, execution: 422, timeout: 503, canceled: 499, unavailable: 503, not_found: 404, internal: 500 };

function promError(e: unknown): { status: number; errorType: string; error: string } {
  const err = e as Error & { statusCode?: number; validation?: unknown; errorType?: unknown };
  if (err.validation) return { status: 400, errorType: 'bad_data', error: err.message };
  // the PromQL engine's errors (ParseError, PromQLError) carry Prometheus' own errorType
  if (typeof err.errorType === 'string' && err.errorType in ERROR_STATUS) return { status: ERROR_STATUS[err.errorType]!, errorType: err.errorType, error: err.message };
  if (e instanceof TooManyRequestsError) return { status: 429, errorType: 'unavailable', error: err.message };
  if (isPlatformError(e)) {
    if (e.status === 408 || e.status === 503) return { status: 503, errorType: 'timeout', error: e.message };
    // authentication and permission keep their status, so clients (Grafana) see 401/403
    if (e.status === 401 || e.status === 403 || e.status === 404 || e.status === 413 || e.status === 415) return { status: e.status, errorType: 'bad_data', error: e.message };
    if (e.status < 500) return { status: e.status === 422 ? 422 : 400, errorType: e.status === 422 ? 'execution' : 'bad_data', error: e.message };
  }
  if (err.name === 'AbortError' || /timeout|timed out/i.test(err.message ?? '')) return { status: 503, errorType: 'timeout', error: err.message };
  return { status: 422, errorType: 'execution', error: err.message ?? String(e) };
}

function sendPromError(reply: FastifyReply, e: unknown): FastifyReply {
  const p = promError(e);
  if (e instanceof TooManyRequestsError) reply.header('retry-after', String(e.retryAfterSeconds));
  return reply.code(p.status).send({ status: 'error', errorType: p.errorType, error: p.error });
}

export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, opts) => {
  const { engine, store } = opts;
  const ingestor = opts.ingestor ?? new MetricsIngestor(store);
  const maxRange = opts.maxQueryRangeMs ?? 366 * 86_400_000;
  const tenantLabel = opts.tenantLabel ?? DEFAULT_TENANT_LABEL;
  const readable = (req: FastifyRequest): Queryable => {
    const teams = readTenants(opts, req);
    return teams ? scopedQueryable(store, tenantLabel, teams) : store;
  };
  const labelCache = new LabelCache();
  registerFormParser(app);
  // remote_write bodies are snappy-compressed protobuf: keep them as raw bytes
  ownParser(app, 'application/x-protobuf');
  app.addContentTypeParser('application/x-protobuf', { parseAs: 'buffer', bodyLimit: opts.maxBodyBytes ?? 32 << 20 }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, req, reply) => {
    // authentication and permission refusals keep the platform's shape (and 401/403) for every client
    const denied = isPlatformError(err) && (err.status === 401 || err.status === 403);
    if (!denied && req.routeOptions.config && (req.routeOptions.config as { promApi?: boolean }).promApi) return sendPromError(reply, err);
    if (err instanceof TooManyRequestsError) reply.header('retry-after', String(err.retryAfterSeconds));
    throw err; // the server's error handler formats everything else
  });

  app.post(
    '/api/v1/write',
    {
      schema: {
        tags: TAGS,
        summary: 'Prometheus remote_write 1.0 receiver (snappy-compressed protobuf WriteRequest)',
        headers: toSchema(z.object({ 'content-type': z.string(), 'content-encoding': z.string().optional() })),
        response: { 204: { type: 'null' } },
      },
      config: { permission: 'telemetry.write' },
    },
    async (req, reply) => {
      const ct = String(req.headers['content-type'] ?? '');
      if (!ct.startsWith('application/x-protobuf')) throw new PlatformError('TELEMETRY_CONTENT_TYPE', 415, 'remote_write needs Content-Type: application/x-protobuf', { field: 'headers.content-type' });
      if (/proto=io\.prometheus\.write\.v2/.test(ct)) {
        throw new PlatformError('TELEMETRY_RW2_UNSUPPORTED', 415, 'remote_write 2.0 is not supported; send 1.0 (prometheus.WriteRequest)', { field: 'headers.content-type' });
      }
      const enc = String(req.headers['content-encoding'] ?? 'snappy');
      if (enc !== 'snappy') throw new InputError(`Content-Encoding ${JSON.stringify(enc)} is not supported; remote_write uses snappy`, { field: 'headers.content-encoding' }, 'TELEMETRY_CONTENT_ENCODING');
      ingestor.checkCapacity();
      const wr = decodeWriteRequest(snappyDecode(req.body as Buffer), labelCache);
      const team = opts.tenantOf?.(req);
      const report = await ingestor.write(team ? stampTenant(wr.series, tenantLabel, team) : wr.series, wr.metadata);
      throwIfRejected(report);
      reply.header('x-prometheus-remote-write-samples-written', String(report.accepted + report.duplicates));
      return reply.code(204).send();
    },
  );

  const promConfig = (permission: string) => ({ permission, promApi: true });

  const instant = async (req: FastifyRequest) => {
    const p = params(req);
    const q = str(p, 'query');
    if (!q) throw new InputError('query is required', { field: 'query' }, 'TELEMETRY_PARAM_QUERY');
    const t = parseTime(str(p, 'time'), 'time', Date.now());
    const limits = withTimeout(opts.limits, str(p, 'timeout'));
    const { data, warnings } = await engine.instantQuery(readable(req), q, t, limits);
    return { status: 'success', data, ...(warnings.length ? { warnings } : {}) };
  };
  const range = async (req: FastifyRequest) => {
    const p = params(req);
    const q = str(p, 'query');
    if (!q) throw new InputError('query is required', { field: 'query' }, 'TELEMETRY_PARAM_QUERY');
    const start = parseTime(str(p, 'start'), 'start');
    const end = parseTime(str(p, 'end'), 'end');
    const step = parseDuration(str(p, 'step'), 'step');
    if (end < start) throw new InputError('end timestamp must not be before start time', { field: 'end' }, 'TELEMETRY_PARAM_RANGE');
    if (step <= 0) throw new InputError('zero or negative query resolution step widths are not accepted. Try a positive integer', { field: 'step' }, 'TELEMETRY_PARAM_STEP');
    if ((end - start) / step > MAX_POINTS) throw new InputError(`exceeded maximum resolution of ${MAX_POINTS} points per timeseries. Try decreasing the query resolution (?step=XX)`, { field: 'step' }, 'TELEMETRY_PARAM_STEP');
    if (end - start > maxRange) throw new InputError(`query range ${Math.round((end - start) / 86_400_000)}d exceeds the limit of ${Math.round(maxRange / 86_400_000)}d`, { field: 'start' }, 'TELEMETRY_QUERY_RANGE_LIMIT');
    const { data, warnings } = await engine.rangeQuery(readable(req), q, start, end, step, withTimeout(opts.limits, str(p, 'timeout')));
    return { status: 'success', data, ...(warnings.length ? { warnings } : {}) };
  };

  for (const method of ['GET', 'POST'] as const) {
    const part = method === 'GET' ? 'querystring' : 'body';
    app.route({
      method,
      url: '/api/v1/query',
      schema: { tags: TAGS, summary: 'PromQL instant query (Prometheus HTTP API)', [part]: toSchema(method === 'GET' ? queryParams : queryForm), response: promResponses },
      config: promConfig('telemetry.read'),
      handler: instant,
    });
    app.route({
      method,
      url: '/api/v1/query_range',
      schema: { tags: TAGS, summary: 'PromQL range query (Prometheus HTTP API)', [part]: toSchema(method === 'GET' ? rangeParams : rangeForm), response: promResponses },
      config: promConfig('telemetry.read'),
      handler: range,
    });
    app.route({
      method,
      url: '/api/v1/series',
      schema: { tags: TAGS, summary: 'Series matching match[] selectors', [part]: toSchema(method === 'GET' ? matchParams : matchForm), response: promResponses },
      config: promConfig('telemetry.read'),
      handler: async (req) => {
        const p = params(req);
        const sets = selectors(list(p, 'match[]'), true);
        const [start, end] = window(p);
        const seen = new Map<string, Record<string, string>>();
        for (const m of sets) for (const l of await readable(req).series(m, start, end)) seen.set(JSON.stringify(l), l);
        return { status: 'success', data: applyLimit([...seen.values()], p) };
      },
    });
    app.route({
      method,
      url: '/api/v1/labels',
      schema: { tags: TAGS, summary: 'Label names', [part]: toSchema(method === 'GET' ? matchParams : matchForm), response: promResponses },
      config: promConfig('telemetry.read'),
      handler: async (req) => {
        const p = params(req);
        const [start, end] = window(p);
        const names = new Set<string>();
        for (const m of selectors(list(p, 'match[]'), false)) for (const n of await readable(req).labelNames(m, start, end)) names.add(n);
        return { status: 'success', data: applyLimit([...names].sort(), p) };
      },
    });
  }

  // exemplars are not stored; Grafana's Explore asks for them, so answer with none
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/api/v1/query_exemplars',
      schema: { tags: TAGS, summary: 'Exemplars (none are stored: always empty)', response: promResponses },
      config: promConfig('telemetry.read'),
      handler: async () => ({ status: 'success', data: [] }),
    });
  }

  app.get(
    '/api/v1/label/:name/values',
    {
      schema: { tags: TAGS, summary: 'Values of one label', params: toSchema(z.object({ name: z.string() })), querystring: toSchema(matchParams), response: promResponses },
      config: promConfig('telemetry.read'),
    },
    async (req) => {
      const { name } = req.params as { name: string };
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new InputError(`invalid label name: ${JSON.stringify(name)}`, { field: 'params.name' }, 'TELEMETRY_LABEL_NAME_INVALID');
      const p = req.query as Params;
      const [start, end] = window(p);
      const values = new Set<string>();
      for (const m of selectors(list(p, 'match[]'), false)) for (const v of await readable(req).labelValues(name, m, start, end)) values.add(v);
      return { status: 'success', data: applyLimit([...values].sort(), p) };
    },
  );

  app.get(
    '/api/v1/metadata',
    {
      schema: { tags: TAGS, summary: 'Metric metadata (type, help, unit)', querystring: toSchema(metadataParams), response: promResponses },
      config: promConfig('telemetry.read'),
    },
    async (req) => {
      const p = req.query as { metric?: string; limit?: number };
      const rows = await store.metadata(p.metric, p.limit && p.limit > 0 ? p.limit : undefined);
      const data: Record<string, { type: string; help: string; unit: string }[]> = {};
      for (const r of rows) data[r.metric] = [{ type: r.type, help: r.help, unit: r.unit }];
      return { status: 'success', data };
    },
  );

  // Grafana probes these when a data source is saved.
  app.get('/api/v1/status/buildinfo', { schema: { tags: TAGS, summary: 'Build information (for Grafana)', response: promResponses }, config: promConfig('telemetry.read') }, async () => ({
    status: 'success',
    data: { version: '2.42.0', revision: 'sreworks', branch: 'sreworks', buildUser: 'sreworks', buildDate: '', goVersion: 'node' },
  }));

  function window(p: Params): [number, number] {
    const now = Date.now();
    const end = parseTime(str(p, 'end'), 'end', now);
    const start = parseTime(str(p, 'start'), 'start', end - 6 * 3_600_000);
    if (end < start) throw new InputError('end timestamp must not be before start time', { field: 'end' }, 'TELEMETRY_PARAM_RANGE');
    return [start, end];
  }
};

function selectors(sel: string[], required: boolean): Matcher[][] {
  if (!sel.length) {
    if (required) throw new InputError('no match[] parameter provided', { field: 'match[]' }, 'TELEMETRY_PARAM_MATCH');
    return [[]];
  }
  return sel.map((s, i) => parseSelector(s, `match[${i}]`));
}

function applyLimit<T>(items: T[], p: Params): T[] {
  const l = Number(str(p, 'limit') ?? 0);
  return l > 0 ? items.slice(0, l) : items;
}

function withTimeout(limits: QueryLimits | undefined, timeout: string | undefined): QueryLimits | undefined {
  if (!timeout) return limits;
  const ms = parseDuration(timeout, 'timeout');
  return { ...limits, timeoutMs: Math.min(ms, limits?.timeoutMs ?? ms) };
}

export interface OtlpMetricsRoutesOptions {
  store: MetricsStore;
  ingestor?: MetricsIngestor;
  translator?: OtlpMetricsTranslator;
  /** largest body after decompression (default 20 MiB, as the OTLP spec suggests). */
  maxBodyBytes?: number;
  /** as in MetricsRoutesOptions: the team written series are stamped with. */
  tenantOf?: (request: FastifyRequest) => string | undefined;
  tenantLabel?: string;
}

export const otlpMetricsRoutes: FastifyPluginAsync<OtlpMetricsRoutesOptions> = async (app, opts) => {
  const ingestor = opts.ingestor ?? new MetricsIngestor(opts.store);
  const translator = opts.translator ?? new OtlpMetricsTranslator();
  const limit = opts.maxBodyBytes ?? 20 << 20;
  ownParser(app, 'application/x-protobuf');
  ownParser(app, 'application/json');
  app.addContentTypeParser(['application/x-protobuf', 'application/json'], { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof TooManyRequestsError) reply.header('retry-after', String(err.retryAfterSeconds));
    throw err;
  });

  app.post(
    '/v1/metrics',
    {
      schema: {
        tags: TAGS,
        summary: 'OTLP/HTTP metrics export (protobuf or JSON, optionally gzip)',
        headers: toSchema(z.object({ 'content-type': z.string(), 'content-encoding': z.string().optional() })),
        response: {
          200: toSchema(z.object({ partialSuccess: z.object({ rejectedDataPoints: z.string().optional(), errorMessage: z.string().optional() }).optional() }), 'output'),
        },
      },
      config: { permission: 'telemetry.write' },
    },
    async (req, reply) => {
      ingestor.checkCapacity();
      const ct = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
      let body = req.body as Buffer;
      const enc = String(req.headers['content-encoding'] ?? 'identity');
      if (enc === 'gzip') {
        try {
          body = gunzipSync(body, { maxOutputLength: limit });
        } catch (e) {
          throw new InputError('body is not valid gzip or exceeds the size limit after decompression', { field: 'body' }, 'TELEMETRY_GZIP_INVALID', e);
        }
      } else if (enc !== 'identity') throw new InputError(`Content-Encoding ${JSON.stringify(enc)} is not supported (gzip or none)`, { field: 'headers.content-encoding' }, 'TELEMETRY_CONTENT_ENCODING');
      let request;
      if (ct === 'application/json') {
        try {
          request = JSON.parse(body.toString('utf8'));
        } catch (e) {
          throw new InputError(`body is not valid JSON: ${(e as Error).message}`, { field: 'body' }, 'TELEMETRY_OTLP_INVALID', e);
        }
      } else request = decodeOtlpMetrics(body);
      const t = translator.translate(request);
      const team = opts.tenantOf?.(req);
      const report = await ingestor.write(team ? stampTenant(t.series, opts.tenantLabel ?? DEFAULT_TENANT_LABEL, team) : t.series, t.metadata, 'body.resourceMetrics');
      const rejected = report.invalidSamples + report.conflicts + report.tooOld + t.rejected;
      // invalid attributes cannot occur after sanitising, so refusals are partial successes (200, not retried)
      const messages = [...t.messages, ...report.errors.map((e) => String(e.message))];
      const out = rejected ? { partialSuccess: { rejectedDataPoints: String(rejected), errorMessage: messages.join('; ') } } : {};
      if (ct === 'application/x-protobuf') {
        reply.header('content-type', 'application/x-protobuf');
        return reply.send(encodeExportResponse(rejected, messages.join('; ')));
      }
      return out;
    },
  );
};

/** ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1 { int64 rejected_data_points = 1; string error_message = 2; } } */
function encodeExportResponse(rejected: number, message: string): Buffer {
  if (!rejected) return Buffer.alloc(0);
  const msg = Buffer.from(message, 'utf8');
  const inner: number[] = [0x08, ...varint(rejected), 0x12, ...varint(msg.length), ...msg];
  return Buffer.from([0x0a, ...varint(inner.length), ...inner]);
}
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
