import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import snappy from 'snappy';
import { IngestLimiter, SqliteLogStore, type LogStore } from '../src/index.js';
import { buildLogsApp, type RouteInfo } from './logs/app.js';

const NOW_S = Math.floor(Date.now() / 1000) - 120;
const ns = (s: number, extra = 0) => (BigInt(s) * 1_000_000_000n + BigInt(extra)).toString();

describe('log routes (bare Fastify + inject)', () => {
  let store: LogStore;
  let app: FastifyInstance;
  let routes: RouteInfo[];
  const limiter = new IngestLimiter(8 * 1024 * 1024);
  beforeAll(async () => {
    store = new SqliteLogStore({ path: ':memory:' });
    ({ app, routes } = await buildLogsApp(store, limiter));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const push = (payload: string | Buffer, headers: Record<string, string>) => app.inject({ method: 'POST', url: '/loki/api/v1/push', payload, headers });
  const queryRange = async (query: string, extra: Record<string, string> = {}) => {
    const r = await app.inject({ method: 'GET', url: '/loki/api/v1/query_range', query: { query, start: ns(NOW_S - 600), end: ns(NOW_S + 600), ...extra } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { status: string; data: { resultType: string; result: any[] } };
  };

  it('declares permission, tags and summary on every route', () => {
    const mine = routes.filter((r) => r.method !== 'HEAD');
    expect(mine.length).toBeGreaterThanOrEqual(14);
    for (const r of mine) {
      expect(['telemetry.read', 'telemetry.write'], `${r.method} ${r.url}`).toContain(r.permission);
      expect(r.tags?.length, r.url).toBeGreaterThan(0);
      expect(r.summary, r.url).toBeTruthy();
    }
    expect(routes.find((r) => r.url === '/loki/api/v1/push')!.permission).toBe('telemetry.write');
    expect(routes.find((r) => r.url === '/loki/api/v1/query_range')!.permission).toBe('telemetry.read');
  });

  it('accepts Loki JSON push (plain and gzip) and answers query_range with Loki streams', async () => {
    const body = {
      streams: [
        { stream: { app: 'shop', level: 'error' }, values: [[ns(NOW_S, 1), 'payment failed id=7'], [ns(NOW_S + 1), 'payment failed id=8', { trace_id: 't1' }]] },
        { stream: { app: 'shop', level: 'info' }, values: [[ns(NOW_S + 2), 'order placed id=9']] },
      ],
    };
    expect((await push(JSON.stringify(body), { 'content-type': 'application/json' })).statusCode).toBe(204);
    const gz = gzipSync(JSON.stringify({ streams: [{ stream: { app: 'shop', level: 'info' }, values: [[ns(NOW_S + 3), 'order shipped id=9']] }] }));
    expect((await push(gz, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).statusCode).toBe(204);
    const r = await queryRange('{app="shop"} |= "id="', { limit: '10', direction: 'forward' });
    expect(r.status).toBe('success');
    expect(r.data.resultType).toBe('streams');
    const byLine = r.data.result.flatMap((s) => s.values.map((v: [string, string]) => ({ stream: s.stream, ts: v[0], line: v[1] })));
    expect(byLine.map((x) => x.line)).toEqual(['payment failed id=7', 'payment failed id=8', 'order placed id=9', 'order shipped id=9']);
    expect(byLine[0]!.ts).toBe(ns(NOW_S, 1));
    expect(byLine[1]!.stream).toEqual({ app: 'shop', level: 'error', trace_id: 't1' });
  });

  it('answers metric queries as matrix and vector, labels, values and series', async () => {
    const m = await queryRange('sum by (level) (count_over_time({app="shop"}[5m]))', { step: '60' });
    expect(m.data.resultType).toBe('matrix');
    const err = m.data.result.find((s) => s.metric.level === 'error');
    // Error lines at NOW+1ns and NOW+1s: steps NOW+60s..NOW+300s see both; NOW itself sees neither.
    expect(err.values.map((v: [number, string]) => v[1])).toEqual(['2', '2', '2', '2', '2']);
    expect(typeof err.values[0][0]).toBe('number');
    const v = await app.inject({ method: 'GET', url: '/loki/api/v1/query', query: { query: 'sum(count_over_time({app="shop"}[10m]))', time: String(NOW_S + 300) } });
    expect(v.json()).toMatchObject({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [NOW_S + 300, '4'] }] } });
    const logInstant = await app.inject({ method: 'GET', url: '/loki/api/v1/query', query: { query: '{app="shop"}' } });
    expect(logInstant.statusCode).toBe(400);
    const range = { start: ns(NOW_S - 600), end: ns(NOW_S + 600) };
    expect((await app.inject({ method: 'GET', url: '/loki/api/v1/labels', query: range })).json()).toEqual({ status: 'success', data: ['app', 'level'] });
    expect((await app.inject({ method: 'GET', url: '/loki/api/v1/label/level/values', query: range })).json()).toEqual({ status: 'success', data: ['error', 'info'] });
    const series = await app.inject({ method: 'GET', url: `/loki/api/v1/series?match[]=${encodeURIComponent('{level="error"}')}&start=${range.start}&end=${range.end}` });
    expect(series.json()).toEqual({ status: 'success', data: [{ app: 'shop', level: 'error' }] });
    const st = await app.inject({ method: 'GET', url: '/loki/api/v1/index/stats', query: { query: '{app="shop"}', ...range } });
    expect(st.json()).toMatchObject({ streams: 2, entries: 4, bytes: Buffer.byteLength('payment failed id=7payment failed id=8order placed id=9order shipped id=9') });
    expect((await app.inject({ method: 'GET', url: '/loki/api/v1/status/buildinfo' })).json().version).toMatch(/^3\./);
  });

  it('gives LogQL errors as 400 with the position', async () => {
    const r = await app.inject({ method: 'GET', url: '/loki/api/v1/query_range', query: { query: '{app="shop"} |= ' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'LOGQL_PARSE', details: { field: 'query', line: 1, col: 17 } });
  });

  it('accepts snappy protobuf built from the logproto .proto with protobufjs', async () => {
    const root = await protobuf.load(fileURLToPath(new URL('./logs/push.proto', import.meta.url)));
    const PushRequest = root.lookupType('logproto.PushRequest');
    const msg = PushRequest.fromObject({
      streams: [
        {
          labels: '{app="proto", env="prod"}',
          entries: [
            { timestamp: { seconds: NOW_S, nanos: 123 }, line: 'proto line one', structuredMetadata: [{ name: 'pod', value: 'p-1' }] },
            { timestamp: { seconds: NOW_S + 1, nanos: 0 }, line: 'proto line two' },
          ],
        },
      ],
    });
    const body = snappy.compressSync(Buffer.from(PushRequest.encode(msg).finish()));
    expect((await push(body, { 'content-type': 'application/x-protobuf' })).statusCode).toBe(204);
    const r = await queryRange('{app="proto"}', { direction: 'forward' });
    const values = r.data.result.flatMap((s) => s.values);
    expect(values).toEqual([[ns(NOW_S, 123), 'proto line one'], [ns(NOW_S + 1), 'proto line two']]);
    expect(r.data.result[0].stream).toEqual({ app: 'proto', env: 'prod', pod: 'p-1' });
    // Invalid label text inside a protobuf push: 400 naming the stream.
    const bad = PushRequest.fromObject({ streams: [{ labels: 'app=proto', entries: [{ timestamp: { seconds: NOW_S }, line: 'x' }] }] });
    const r2 = await push(snappy.compressSync(Buffer.from(PushRequest.encode(bad).finish())), { 'content-type': 'application/x-protobuf' });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error).toMatchObject({ code: 'LOGS_LABELS_PARSE', details: { field: 'body.streams[0].labels' } });
  });

  it('refuses bad input with a clear 4xx and keeps what was accepted', async () => {
    const proto = snappy.compressSync(Buffer.from('\x0a\x05hello'));
    const cases: [string, Buffer | string, Record<string, string>, number, string][] = [
      ['corrupt snappy', Buffer.from([0xff, 0xff, 0x01, 0x02, 0x03]), { 'content-type': 'application/x-protobuf' }, 400, 'LOKI_PUSH_ENCODING'],
      ['truncated protobuf', proto, { 'content-type': 'application/x-protobuf' }, 400, 'LOKI_PUSH_PROTOBUF'],
      ['wrong content type', 'hello', { 'content-type': 'text/plain' }, 415, 'LOKI_PUSH_CONTENT_TYPE'],
      ['bad JSON', '{"streams": [', { 'content-type': 'application/json' }, 400, 'LOKI_PUSH_JSON'],
      ['numeric timestamp', JSON.stringify({ streams: [{ stream: { app: 'x' }, values: [[1, 'l']] }] }), { 'content-type': 'application/json' }, 400, 'LOKI_PUSH_TIMESTAMP'],
      ['1 MB line', JSON.stringify({ streams: [{ stream: { app: 'big' }, values: [[ns(NOW_S), 'ok'], [ns(NOW_S), 'x'.repeat(1024 * 1024)]] }] }), { 'content-type': 'application/json' }, 400, 'LOKI_PUSH_LINE_TOO_LONG'],
      ['invalid label name', JSON.stringify({ streams: [{ stream: { 'bad-name': 'x' }, values: [[ns(NOW_S), 'l']] }] }), { 'content-type': 'application/json' }, 400, 'LOGS_LABEL_NAME'],
      ['no labels', JSON.stringify({ streams: [{ stream: {}, values: [[ns(NOW_S), 'l']] }] }), { 'content-type': 'application/json' }, 400, 'LOGS_LABELS_EMPTY'],
    ];
    for (const [name, body, headers, status, code] of cases) {
      const r = await push(body, headers);
      expect(r.statusCode, name).toBe(status);
      expect(r.json().error.code, name).toBe(code);
    }
    const big = await push(JSON.stringify({ streams: [{ stream: { app: 'big' }, values: [[ns(NOW_S), 'x'.repeat(1024 * 1024)]] }] }), { 'content-type': 'application/json' });
    expect(big.json().error.details.field).toBe('body.streams[0].values[0][1]');
    // The 1 MB request carried a valid first line: nothing of it was stored (the request is atomic).
    expect((await queryRange('{app="big"}')).data.result).toEqual([]);
    expect((await queryRange('{app="shop"}')).data.result.flatMap((s) => s.values)).toHaveLength(4);
  });

  it('answers 429 with Retry-After when ingestion is overloaded', async () => {
    const busy = new IngestLimiter(1000, 3);
    const s2 = new SqliteLogStore({ path: ':memory:' });
    const { app: a2 } = await buildLogsApp(s2, busy);
    expect(busy.tryAcquire(900)).toBe(true); // a request in flight
    const body = JSON.stringify({ streams: [{ stream: { app: 'x' }, values: [[ns(NOW_S), 'l']] }] });
    const r = await a2.inject({ method: 'POST', url: '/loki/api/v1/push', payload: body, headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(429);
    expect(r.headers['retry-after']).toBe('3');
    const o = await a2.inject({ method: 'POST', url: '/otlp/v1/logs', payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(o.statusCode).toBe(429);
    busy.release(900);
    const ok = await a2.inject({ method: 'POST', url: '/loki/api/v1/push', payload: body, headers: { 'content-type': 'application/json' } });
    expect(ok.statusCode).toBe(204);
    expect(busy.inflightBytes).toBe(0);
    await a2.close();
    await s2.close();
  });

  it('maps OTLP JSON resource attributes to labels and the rest to structured metadata', async () => {
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, { key: 'k8s.namespace.name', value: { stringValue: 'shop' } }, { key: 'host.arch', value: { stringValue: 'amd64' } }] },
          scopeLogs: [
            {
              scope: { name: 'my.lib', version: '1.0' },
              logRecords: [
                { timeUnixNano: ns(NOW_S + 10, 5), severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'card declined' }, attributes: [{ key: 'user.id', value: { intValue: '42' } }], traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' },
                { timeUnixNano: ns(NOW_S + 11), body: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } },
              ],
            },
          ],
        },
      ],
    };
    const r = await app.inject({ method: 'POST', url: '/otlp/v1/logs', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({});
    const q = await queryRange('{service_name="checkout"}', { direction: 'forward' });
    const [first, second] = q.data.result.flatMap((s) => s.values.map((v: string[]) => ({ stream: s.stream, ts: v[0], line: v[1] })));
    expect(first).toEqual({
      ts: ns(NOW_S + 10, 5),
      line: 'card declined',
      stream: { service_name: 'checkout', k8s_namespace_name: 'shop', host_arch: 'amd64', scope_name: 'my.lib', scope_version: '1.0', user_id: '42', severity_text: 'ERROR', severity_number: '17', detected_level: 'error', trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174' },
    });
    expect(second.line).toBe('{"a":true}');
    expect((await app.inject({ method: 'GET', url: '/loki/api/v1/label/service_name/values', query: { start: ns(NOW_S - 600), end: ns(NOW_S + 600) } })).json().data).toContain('checkout');
    const bad = await app.inject({ method: 'POST', url: '/otlp/v1/logs', payload: Buffer.from([0x0a, 0xff, 0x01]), headers: { 'content-type': 'application/x-protobuf' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('OTLP_LOGS_PROTOBUF');
  });

  it('serves the Elasticsearch probe and _bulk with per-item results', async () => {
    const probe = await app.inject({ method: 'GET', url: '/api/ingest/es/' });
    expect(probe.statusCode).toBe(200);
    expect(probe.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(probe.json().version.number).toMatch(/^8\./);
    expect((await app.inject({ method: 'GET', url: '/api/ingest/es/_license' })).json().license.status).toBe('active');
    expect((await app.inject({ method: 'PUT', url: '/api/ingest/es/_index_template/filebeat-8.13.0', payload: '{}', headers: { 'content-type': 'application/json' } })).json()).toEqual({ acknowledged: true });
    const nd = [
      JSON.stringify({ create: { _index: 'filebeat-8' } }),
      JSON.stringify({ '@timestamp': new Date(NOW_S * 1000 + 20_000).toISOString(), message: 'GET /cart 500', host: { name: 'node-1' }, log: { level: 'ERROR' }, service: { name: 'cart' } }),
      JSON.stringify({ index: { _index: 'filebeat-8', _id: 'x1' } }),
      '{not json',
      JSON.stringify({ delete: { _index: 'filebeat-8', _id: 'x2' } }),
      '',
    ].join('\n');
    const r = await app.inject({ method: 'POST', url: '/api/ingest/es/_bulk', payload: nd, headers: { 'content-type': 'application/x-ndjson' } });
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.errors).toBe(true);
    expect(b.items.map((i: any) => Object.values(i)[0]).map((i: any) => i.status)).toEqual([201, 400, 400]);
    const q = await queryRange('{index="filebeat-8"}');
    expect(q.data.result[0].stream).toMatchObject({ index: 'filebeat-8', host: 'node-1', service_name: 'cart', detected_level: 'error' });
    expect(q.data.result[0].values[0][1]).toBe('GET /cart 500');
    const badAction = await app.inject({ method: 'POST', url: '/api/ingest/es/_bulk', payload: 'nope\n', headers: { 'content-type': 'application/x-ndjson' } });
    expect(badAction.statusCode).toBe(400);
  });

  it('records native and Kubernetes events and searches them with a cursor', async () => {
    const t = Date.now() - 60_000;
    const native = [
      { time: new Date(t).toISOString(), labels: { app: 'shop', env: 'prod' }, type: 'info', reason: 'Deployed', message: 'shop v1.2 deployed by alice' },
      { time: t + 1000, labels: { app: 'shop', env: 'prod' }, type: 'warning', reason: 'HighLatency', message: 'p99 above 1s' },
    ];
    expect((await app.inject({ method: 'POST', url: '/api/events', payload: JSON.stringify({ events: native }), headers: { 'content-type': 'application/json' } })).statusCode).toBe(202);
    const kube = {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'web-1.17a', namespace: 'shop', uid: 'e1' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'pod-uid-1' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container web',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: new Date(t + 2000).toISOString(),
      lastTimestamp: new Date(t + 2000).toISOString(),
      count: 3,
      type: 'Warning',
    };
    const k = await app.inject({ method: 'POST', url: '/api/events?cluster=c1', payload: JSON.stringify(kube), headers: { 'content-type': 'application/json' } });
    expect(k.statusCode, k.body).toBe(202);
    // The same object/reason again updates the one event (count 4), as kubectl shows it.
    await app.inject({ method: 'POST', url: '/api/events?cluster=c1', payload: JSON.stringify({ ...kube, count: 4, lastTimestamp: new Date(t + 3000).toISOString() }), headers: { 'content-type': 'application/json' } });
    const all = await app.inject({ method: 'GET', url: '/api/events', query: { from: String(t - 1), limit: '2' } });
    expect(all.statusCode).toBe(200);
    const p1 = all.json();
    expect(p1.items.map((e: any) => e.reason)).toEqual(['BackOff', 'HighLatency']);
    expect(p1.items[0]).toMatchObject({ count: 4, type: 'Warning', labels: { cluster: 'c1', namespace: 'shop', kind: 'Pod', name: 'web-1', source: 'kubernetes', reporting_controller: 'kubelet' } });
    const p2 = (await app.inject({ method: 'GET', url: '/api/events', query: { from: String(t - 1), limit: '2', cursor: p1.nextCursor } })).json();
    expect(p2).toEqual({ items: [expect.objectContaining({ reason: 'Deployed' })], nextCursor: null });
    const byLabel = (await app.inject({ method: 'GET', url: '/api/events', query: { from: String(t - 1), labels: '{kind="Pod"}', q: 'restarting' } })).json();
    expect(byLabel.items.map((e: any) => e.reason)).toEqual(['BackOff']);
    const pairs = (await app.inject({ method: 'GET', url: '/api/events', query: { from: String(t - 1), labels: 'app=shop,env=prod', q: 'alice' } })).json();
    expect(pairs.items.map((e: any) => e.reason)).toEqual(['Deployed']);
    const bad = await app.inject({ method: 'POST', url: '/api/events', payload: JSON.stringify({ labels: { app: 'x' } }), headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('body.message');
    const badCursor = await app.inject({ method: 'GET', url: '/api/events', query: { cursor: 'zzz' } });
    expect(badCursor.statusCode).toBe(400);
  });
});
