import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fastify, type FastifyInstance } from 'fastify';
import { MeterProvider, MetricReader, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { STALE_NAN } from '@sreworks/promql';
import { encodeWriteRequest, MetricsIngestor, metricsRoutes, otlpMetricsRoutes, snappyEncode, SqliteMetricsStore, telemetryPermissions } from '../src/index.js';
import { fakeEngine, serverLikeFastify, tempDir } from './metrics-helpers.js';

const NOW = Date.now();
const T = NOW - (NOW % 60_000) - 600_000;

function rw(series: Parameters<typeof encodeWriteRequest>[0], meta: Parameters<typeof encodeWriteRequest>[1] = []) {
  return snappyEncode(encodeWriteRequest(series, meta));
}
const RW_HEADERS = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

describe('metrics HTTP API', () => {
  const tmp = tempDir();
  let store: SqliteMetricsStore;
  let app: FastifyInstance;
  const engine = fakeEngine();

  beforeAll(async () => {
    store = await SqliteMetricsStore.open({ file: join(tmp.dir, 'm.db') });
    app = serverLikeFastify();
    const ingestor = new MetricsIngestor(store, { maxPendingSamples: 50_000 });
    await app.register(metricsRoutes, { prefix: '/prometheus', engine, store, ingestor });
    await app.register(otlpMetricsRoutes, { prefix: '/otlp', store, ingestor });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    tmp.dispose();
  });

  it('declares a permission, a schema, tags and a summary on every route', () => {
    const names = telemetryPermissions.map((p) => p.name);
    expect(names).toEqual(['telemetry.read', 'telemetry.write']);
    const routes: { url: string; config?: { permission?: string }; schema?: { tags?: string[]; summary?: string } }[] = [];
    const probe = fastify();
    probe.addHook('onRoute', (r) => void routes.push(r as never));
    return probe
      .register(metricsRoutes, { engine, store })
      .register(otlpMetricsRoutes, { store })
      .ready()
      .then(() => {
        expect(routes.length).toBeGreaterThanOrEqual(12);
        for (const r of routes.filter((x) => !x.url.endsWith('*'))) {
          expect(names, r.url).toContain(r.config?.permission);
          expect(r.schema?.tags, r.url).toEqual(['telemetry']);
          expect(r.schema?.summary, r.url).toBeTruthy();
        }
        return probe.close();
      });
  });

  it('accepts remote_write and answers queries in the Prometheus shape', async () => {
    const ts = Array.from({ length: 40 }, (_, i) => T - 40 * 15_000 + i * 15_000);
    const res = await app.inject({
      method: 'POST',
      url: '/prometheus/api/v1/write',
      headers: RW_HEADERS,
      payload: rw(
        [
          { labels: { __name__: 'req_total', job: 'api', instance: 'a:1' }, timestamps: ts, values: ts.map((_, i) => i * 30) },
          { labels: { __name__: 'req_total', job: 'api', instance: 'b:1' }, timestamps: ts, values: ts.map((_, i) => i * 15) },
        ],
        [{ metric: 'req_total', type: 'counter', help: 'Requests.', unit: '' }],
      ),
    });
    expect(res.statusCode, res.body).toBe(204);
    const q = await app.inject({ method: 'GET', url: `/prometheus/api/v1/query?query=${encodeURIComponent('req_total{instance="a:1"}')}&time=${T / 1000}` });
    expect(q.json()).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'req_total', instance: 'a:1', job: 'api' }, value: [T / 1000, String(39 * 30)] }] } });
    const r = await app.inject({
      method: 'POST',
      url: '/prometheus/api/v1/query_range',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ query: 'rate(req_total[5m])', start: String((T - 300_000) / 1000), end: String(T / 1000), step: '60', limit: '10' }).toString(),
    });
    const body = r.json();
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('matrix');
    expect(body.data.result).toHaveLength(2);
    const a = body.data.result.find((x: { metric: { instance: string } }) => x.metric.instance === 'a:1');
    expect(Number(a.values[0][1])).toBeCloseTo(2, 6); // 30 per 15 s
    const series = await app.inject({ method: 'GET', url: `/prometheus/api/v1/series?match[]=req_total&start=${(T - 3_600_000) / 1000}&end=${T / 1000}` });
    expect(series.json().data).toHaveLength(2);
    const labels = await app.inject({ method: 'GET', url: `/prometheus/api/v1/labels?start=${(T - 3_600_000) / 1000}&end=${T / 1000}` });
    expect(labels.json().data).toEqual(expect.arrayContaining(['__name__', 'instance', 'job']));
    const values = await app.inject({ method: 'GET', url: `/prometheus/api/v1/label/instance/values?match[]=${encodeURIComponent('{job="api"}')}&start=${(T - 3_600_000) / 1000}&end=${T / 1000}` });
    expect(values.json()).toEqual({ status: 'success', data: ['a:1', 'b:1'] });
    const meta = await app.inject({ method: 'GET', url: '/prometheus/api/v1/metadata?metric=req_total' });
    expect(meta.json()).toEqual({ status: 'success', data: { req_total: [{ type: 'counter', help: 'Requests.', unit: '' }] } });
  });

  it('answers bad queries with Prometheus error shapes', async () => {
    const bad = await app.inject({ method: 'GET', url: '/prometheus/api/v1/query?query=' + encodeURIComponent('sum(') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
    const noQuery = await app.inject({ method: 'GET', url: '/prometheus/api/v1/query' });
    expect(noQuery.statusCode).toBe(400);
    expect(noQuery.json().errorType).toBe('bad_data');
    const tenYears = await app.inject({ method: 'GET', url: `/prometheus/api/v1/query_range?query=up&start=0&end=${10 * 365 * 86400}&step=86400` });
    expect(tenYears.statusCode).toBe(400);
    expect(tenYears.json().error).toMatch(/exceeds the limit/);
    const tooFine = await app.inject({ method: 'GET', url: '/prometheus/api/v1/query_range?query=up&start=0&end=86400&step=1' });
    expect(tooFine.json().error).toMatch(/11000 points/);
    const badTime = await app.inject({ method: 'GET', url: '/prometheus/api/v1/query?query=up&time=yesterday' });
    expect(badTime.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
    const noMatch = await app.inject({ method: 'GET', url: '/prometheus/api/v1/series' });
    expect(noMatch.json().error).toMatch(/match\[\]/);
    const emptyMatch = await app.inject({ method: 'GET', url: '/prometheus/api/v1/series?match[]=' + encodeURIComponent('{job=~".*"}') });
    expect(emptyMatch.statusCode).toBe(400);
    const badLabel = await app.inject({ method: 'GET', url: '/prometheus/api/v1/label/1bad/values' });
    expect(badLabel.statusCode).toBe(400);
  });

  it("maps the engine's errorType to Prometheus' status codes", async () => {
    const failing = (errorType: string, message: string) => ({
      instantQuery: async () => {
        throw Object.assign(new Error(message), { errorType });
      },
      rangeQuery: async () => {
        throw new Error('boom');
      },
    });
    for (const [type, status] of [['bad_data', 400], ['execution', 422], ['timeout', 503], ['canceled', 499]] as const) {
      const a = serverLikeFastify();
      await a.register(metricsRoutes, { engine: failing(type, `it failed: ${type}`), store });
      const r = await a.inject({ method: 'GET', url: '/api/v1/query?query=up' });
      expect(r.statusCode, type).toBe(status);
      expect(r.json()).toEqual({ status: 'error', errorType: type, error: `it failed: ${type}` });
      const plain = await a.inject({ method: 'GET', url: '/api/v1/query_range?query=up&start=0&end=60&step=15' });
      expect(plain.statusCode).toBe(422);
      expect(plain.json().errorType).toBe('execution');
      await a.close();
    }
  });

  it('refuses corrupt snappy, truncated protobuf, wrong content type and encoding with 4xx', async () => {
    const good = encodeWriteRequest([{ labels: { __name__: 'x', a: 'b' }, timestamps: [T], values: [1] }]);
    const corrupt = await app.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: RW_HEADERS, payload: Buffer.from('not snappy at all') });
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().code).toBe('TELEMETRY_SNAPPY_INVALID');
    const truncated = await app.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: RW_HEADERS, payload: snappyEncode(good.subarray(0, good.length - 3)) });
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json().code).toBe('TELEMETRY_PROTOBUF_INVALID');
    const json = await app.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(json.statusCode).toBe(415);
    const gzip = await app.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: { ...RW_HEADERS, 'content-encoding': 'gzip' }, payload: snappyEncode(good) });
    expect(gzip.statusCode).toBe(400);
    const v2 = await app.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: { ...RW_HEADERS, 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' }, payload: snappyEncode(good) });
    expect(v2.statusCode).toBe(415);
  });

  it('stores the valid part of a batch and answers 400 naming what was refused', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/prometheus/api/v1/write',
      headers: RW_HEADERS,
      payload: rw([
        { labels: { __name__: 'partial_ok', k: 'v' }, timestamps: [T, T + 1000], values: Float64Array.of(Infinity, -Infinity) },
        { labels: { __name__: 'partial_ok', 'bad-label': 'v' }, timestamps: [T], values: [1] },
        { labels: { __name__: 'partial_ok', k: 'nan' }, timestamps: [T, T + 1000], values: Float64Array.of(NaN, STALE_NAN) },
      ]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('TELEMETRY_LABEL_NAME_INVALID');
    expect(res.json().message).toMatch(/1 samples refused \(4 accepted/);
    const sel = await store.select([{ name: '__name__', type: '=', value: 'partial_ok' }], T - 1, T + 2000);
    expect(sel).toHaveLength(2);
    // a retry of the same batch is idempotent for the stored part; a changed value is a conflict
    const dup = await app.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: RW_HEADERS, payload: rw([{ labels: { __name__: 'partial_ok', k: 'v' }, timestamps: [T], values: [Infinity] }]) });
    expect(dup.statusCode).toBe(204);
    const conflict = await app.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: RW_HEADERS, payload: rw([{ labels: { __name__: 'partial_ok', k: 'v' }, timestamps: [T], values: [5] }]) });
    expect(conflict.statusCode).toBe(400);
    expect(conflict.json().code).toBe('TELEMETRY_SAMPLE_DUPLICATE');
    const noName = await app.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: RW_HEADERS, payload: rw([{ labels: { job: 'x' }, timestamps: [T], values: [1] }]) });
    expect(noName.json().code).toBe('TELEMETRY_METRIC_NAME_MISSING');
  });

  it('mounts beside a server that registered its own parsers for the same content types', async () => {
    const host = fastify();
    host.addContentTypeParser('application/x-protobuf', { parseAs: 'buffer' }, (_r, b, done) => done(null, b));
    host.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, b, done) => done(null, { raw: b }));
    await host.register(metricsRoutes, { prefix: '/prometheus', engine, store });
    await host.register(otlpMetricsRoutes, { prefix: '/otlp', store });
    await host.ready();
    const r = await host.inject({ method: 'POST', url: '/prometheus/api/v1/query', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `query=req_total&time=${T / 1000}` });
    expect(r.json().status).toBe('success');
    await host.close();
  });

  it('isolates teams: written series carry the team, reads see only their team', async () => {
    const tenant = serverLikeFastify();
    const tenantOf = (req: { headers: Record<string, unknown> }) => req.headers['x-team'] as string | undefined;
    await tenant.register(metricsRoutes, { prefix: '/prometheus', engine, store, tenantOf });
    await tenant.register(otlpMetricsRoutes, { prefix: '/otlp', store, tenantOf });
    await tenant.ready();
    const body = (v: number) => rw([{ labels: { __name__: 'tenant_metric', team: 'forged', k: 'v' }, timestamps: [T], values: [v] }]);
    expect((await tenant.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: { ...RW_HEADERS, 'x-team': 'red' }, payload: body(1) })).statusCode).toBe(204);
    expect((await tenant.inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: { ...RW_HEADERS, 'x-team': 'blue' }, payload: body(2) })).statusCode).toBe(204);
    const q = async (team: string, query: string) =>
      (await tenant.inject({ method: 'GET', url: `/prometheus/api/v1/query?query=${encodeURIComponent(query)}&time=${T / 1000}`, headers: { 'x-team': team } })).json();
    expect((await q('red', 'tenant_metric')).data.result).toEqual([{ metric: { __name__: 'tenant_metric', team: 'red', k: 'v' }, value: [T / 1000, '1'] }]);
    expect((await q('blue', 'tenant_metric{team="red"}')).data.result).toEqual([]);
    const values = await tenant.inject({ method: 'GET', url: `/prometheus/api/v1/label/team/values?start=${(T - 60_000) / 1000}&end=${(T + 60_000) / 1000}`, headers: { 'x-team': 'blue' } });
    expect(values.json().data).toEqual(['blue']);
    const otlp = { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'otlp.tenant', gauge: { dataPoints: [{ timeUnixNano: String(BigInt(T) * 1_000_000n), asDouble: 3 }] } }] }] }] };
    expect((await tenant.inject({ method: 'POST', url: '/otlp/v1/metrics', headers: { 'content-type': 'application/json', 'x-team': 'red' }, payload: otlp })).statusCode).toBe(200);
    expect((await q('red', 'otlp_tenant')).data.result[0].metric.team).toBe('red');
    expect((await q('blue', 'otlp_tenant')).data.result).toEqual([]);
    await tenant.close();
  });

  it('answers 429 with Retry-After when ingestion is saturated', async () => {
    const small = fastify();
    const ingestor = new MetricsIngestor(store, { maxPendingSamples: 10, retryAfterSeconds: 3 });
    await small.register(metricsRoutes, { engine, store, ingestor });
    await small.ready();
    const ts = Array.from({ length: 30 }, (_, i) => T - i * 1000).reverse();
    const batch = (k: string) => rw([{ labels: { __name__: 'load', k }, timestamps: ts, values: ts.map(() => 1) }]);
    // the first request is admitted (nothing in flight); concurrent ones above the bound are refused
    const results = await Promise.all(['a', 'b', 'c'].map((k) => small.inject({ method: 'POST', url: '/api/v1/write', headers: RW_HEADERS, payload: batch(k) })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(204);
    const refused = results.filter((r) => r.statusCode === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.headers['retry-after']).toBe('3');
    await small.close();
  });

  it('lands OTLP metrics from the OpenTelemetry JS SDK as protobuf and JSON', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'pod-1', 'host.name': 'node-7' }),
      readers: [reader],
    });
    const meter = provider.getMeter('test-scope', '1.2.3');
    const counter = meter.createCounter('http.server.requests', { unit: '{request}', description: 'Requests served' });
    counter.add(5, { 'http.route': '/cart', 'http.status_code': 200 });
    counter.add(2, { 'http.route': '/cart', 'http.status_code': 200 });
    const hist = meter.createHistogram('http.server.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1] } });
    for (const v of [0.05, 0.2, 0.3, 2]) hist.record(v, { 'http.route': '/cart' });
    const gauge = meter.createGauge('queue.depth', { unit: '1' });
    gauge.record(0.75);
    const { resourceMetrics } = await reader.collect();
    const pb = ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!;
    const res = await app.inject({ method: 'POST', url: '/otlp/v1/metrics', headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.from(pb) });
    expect(res.statusCode, res.body).toBe(200);
    const win: [number, number] = [Date.now() - 60_000, Date.now() + 60_000];
    const counterSeries = await store.select([{ name: '__name__', type: '=', value: 'http_server_requests_total' }], ...win);
    expect(counterSeries).toHaveLength(1);
    expect(counterSeries[0]!.labels).toMatchObject({ job: 'shop/checkout', instance: 'pod-1', http_route: '/cart', http_status_code: '200', otel_scope_name: 'test-scope' });
    expect(Array.from(counterSeries[0]!.values)).toEqual([7]);
    const buckets = await store.select([{ name: '__name__', type: '=', value: 'http_server_duration_seconds_bucket' }], ...win);
    const byLe = Object.fromEntries(buckets.map((b) => [b.labels.le, b.values[0]]));
    expect(byLe).toEqual({ '0.1': 1, '0.5': 3, '1': 3, '+Inf': 4 });
    const count = await store.select([{ name: '__name__', type: '=', value: 'http_server_duration_seconds_count' }], ...win);
    expect(count[0]!.values[0]).toBe(4);
    const sum = await store.select([{ name: '__name__', type: '=', value: 'http_server_duration_seconds_sum' }], ...win);
    expect(sum[0]!.values[0]).toBeCloseTo(2.55);
    const g = await store.select([{ name: '__name__', type: '=', value: 'queue_depth_ratio' }], ...win);
    expect(g[0]!.values[0]).toBe(0.75);
    const info = await store.select([{ name: '__name__', type: '=', value: 'target_info' }], ...win);
    expect(info[0]!.labels).toMatchObject({ host_name: 'node-7', job: 'shop/checkout' });
    // JSON from the same SDK, gzip-compressed, after two more requests
    counter.add(3, { 'http.route': '/cart', 'http.status_code': 200 });
    await new Promise((r) => setTimeout(r, 5));
    const second = await reader.collect();
    const json = JsonMetricsSerializer.serializeRequest(second.resourceMetrics)!;
    const res2 = await app.inject({ method: 'POST', url: '/otlp/v1/metrics', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync(Buffer.from(json)) });
    expect(res2.statusCode, res2.body).toBe(200);
    const after = await store.select([{ name: '__name__', type: '=', value: 'http_server_requests_total' }], ...win);
    expect(Array.from(after[0]!.values).at(-1)).toBe(10);
    await provider.shutdown();
  });

  it('turns OTLP delta sums into counters and refuses malformed OTLP', async () => {
    const t = BigInt(Date.now()) * 1_000_000n;
    const req = (v: number, dt: bigint) => ({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'batch' } }] },
          scopeMetrics: [{ metrics: [{ name: 'jobs.done', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ startTimeUnixNano: String(t + dt - 1_000_000_000n), timeUnixNano: String(t + dt), asInt: String(v) }] } }] }],
        },
      ],
    });
    for (const [v, dt] of [[4, 0n], [6, 1_000_000_000n]] as const) {
      const r = await app.inject({ method: 'POST', url: '/otlp/v1/metrics', headers: { 'content-type': 'application/json' }, payload: req(v, dt) });
      expect(r.statusCode, r.body).toBe(200);
    }
    const s = await store.select([{ name: '__name__', type: '=', value: 'jobs_done_total' }], Date.now() - 60_000, Date.now() + 60_000);
    expect(Array.from(s[0]!.values)).toEqual([4, 10]);
    const bad = await app.inject({ method: 'POST', url: '/otlp/v1/metrics', headers: { 'content-type': 'application/json' }, payload: '{"resourceMetrics": 5}' });
    expect(bad.statusCode).toBe(400);
    const badJson = await app.inject({ method: 'POST', url: '/otlp/v1/metrics', headers: { 'content-type': 'application/json' }, payload: '{"resourceMetrics": [' });
    expect(badJson.statusCode).toBe(400);
    const badPb = await app.inject({ method: 'POST', url: '/otlp/v1/metrics', headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.from([0x0a, 0x50, 0x01]) });
    expect(badPb.statusCode).toBe(400);
  });
});
