import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as OTLPProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as OTLPJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { Client as OpenSearch } from '@opensearch-project/opensearch';
import { SqliteLogStore, type LogStore } from '../src/index.js';
import { buildLogsApp } from './logs/app.js';

// Real client libraries, over a real socket, against the routes: what they send must land and be queryable.
describe('log payloads from real client libraries', () => {
  let store: LogStore;
  let app: FastifyInstance;
  let base: string;
  const requests: { url: string; type: string | undefined; encoding: string | undefined; status: number }[] = [];
  beforeAll(async () => {
    store = new SqliteLogStore({ path: ':memory:' });
    ({ app } = await buildLogsApp(store, undefined, (a) =>
      a.addHook('onResponse', async (req, reply) => {
        requests.push({ url: req.url, type: req.headers['content-type'], encoding: req.headers['content-encoding'] as string | undefined, status: reply.statusCode });
      }),
    ));
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const query = async (q: string) => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const r = await app.inject({ method: 'GET', url: '/loki/api/v1/query_range', query: { query: q, start: String(now - 3_600_000_000_000n), end: String(now + 60_000_000_000n), direction: 'forward' } });
    return (r.json() as { data: { result: { stream: Record<string, string>; values: [string, string][] }[] } }).data.result;
  };

  it('winston-loki pushes snappy protobuf (logproto) that lands', async () => {
    const errors: unknown[] = [];
    const transport = new LokiTransport({ host: base, labels: { app: 'winston-demo' }, json: false, batching: true, interval: 0.05, onConnectionError: (e: unknown) => errors.push(e) });
    const logger = winston.createLogger({ transports: [transport] });
    logger.info('user signed in', { labels: { tier: 'web' } });
    logger.error('payment provider timeout');
    await transport.flush();
    logger.close();
    expect(errors).toEqual([]);
    const push = requests.filter((r) => r.url === '/loki/api/v1/push');
    expect(push.at(-1)).toMatchObject({ type: 'application/x-protobuf', status: 204 });
    const streams = await query('{app="winston-demo"}');
    const lines = streams.flatMap((s) => s.values.map((v) => v[1]));
    expect(lines.some((l) => l.includes('user signed in'))).toBe(true);
    expect(lines.some((l) => l.includes('payment provider timeout'))).toBe(true);
    expect(streams.map((s) => s.stream.level).sort()).toEqual(['error', 'info']);
  });

  for (const [name, Exporter, type] of [
    ['protobuf', OTLPProtoExporter, 'application/x-protobuf'],
    ['JSON', OTLPJsonExporter, 'application/json'],
  ] as const) {
    it(`the OpenTelemetry SDK exporter (${name}) exports logs that land with labels and metadata`, async () => {
      const exporter = new Exporter({ url: `${base}/otlp/v1/logs` });
      const provider = new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': `otel-${name}`, 'deployment.environment': 'test', 'host.name': 'box-1' }),
        processors: [new SimpleLogRecordProcessor({ exporter })],
      });
      const logger = provider.getLogger('checkout-lib', '2.1.0');
      logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: `charge failed via ${name}`, attributes: { 'order.id': 1234, retry: true } });
      logger.emit({ severityNumber: SeverityNumber.INFO, body: { event: 'cart', items: 3 } });
      await provider.forceFlush();
      await provider.shutdown();
      const last = requests.filter((r) => r.url === '/otlp/v1/logs').at(-1)!;
      expect(last.type).toContain(type);
      expect(last.status).toBe(200);
      const streams = await query(`{service_name="otel-${name}"}`);
      const entries = streams.flatMap((s) => s.values.map((v) => ({ stream: s.stream, line: v[1] })));
      expect(entries).toHaveLength(2);
      const err = entries.find((e) => e.line.startsWith('charge failed'))!;
      expect(err.stream).toMatchObject({ service_name: `otel-${name}`, deployment_environment: 'test', host_name: 'box-1', scope_name: 'checkout-lib', scope_version: '2.1.0', order_id: '1234', retry: 'true', severity_text: 'ERROR', detected_level: 'error' });
      // A map body becomes its JSON text (Loki does the same); ints travel as strings in OTLP.
      expect(JSON.parse(entries.find((e) => e !== err)!.line)).toEqual({ event: 'cart', items: '3' });
      // Only the promoted resource attributes are index labels; the rest is per-line metadata.
      const labels = (await app.inject({ method: 'GET', url: '/loki/api/v1/labels' })).json().data as string[];
      expect(labels).toContain('deployment_environment');
      expect(labels).not.toContain('host_name');
    });
  }

  it('the OpenSearch client bulk-indexes into the ES shim', async () => {
    const client = new OpenSearch({ node: `${base}/api/ingest/es` });
    const info = await client.info();
    expect(info.body.version.number).toMatch(/^8\./);
    const r = await client.bulk({
      body: [
        { create: { _index: 'logs-app' } },
        { '@timestamp': new Date().toISOString(), message: 'disk almost full', host: { name: 'db-1' }, log: { level: 'warn' } },
        { index: { _index: 'logs-app' } },
        { '@timestamp': new Date().toISOString(), message: 'backup done', host: { name: 'db-1' } },
      ],
    });
    expect(r.body.errors).toBe(false);
    expect(r.body.items).toHaveLength(2);
    const streams = await query('{index="logs-app", host="db-1"}');
    expect(streams.flatMap((s) => s.values.map((v) => v[1]))).toEqual(['disk almost full', 'backup done']);
  });
});
