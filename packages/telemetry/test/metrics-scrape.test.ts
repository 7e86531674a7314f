import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { isStaleNaN } from '@sreworks/promql';
import { MetricsIngestor, parseExposition, ScrapeManager, SqliteMetricsStore } from '../src/index.js';
import { tempDir } from './metrics-helpers.js';

const NODE_EXPORTER = `# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
# TYPE node_cpu_seconds_total counter
node_cpu_seconds_total{cpu="0",mode="idle"} 1.23e+06
node_cpu_seconds_total{cpu="0",mode="user"} 4567.89
# HELP node_load1 1m load average.
# TYPE node_load1 gauge
node_load1 0.42
# HELP http_request_duration_seconds A histogram.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1",path="/a \\"q\\" \\\\ \\n"} 3
http_request_duration_seconds_bucket{le="+Inf",path="/a \\"q\\" \\\\ \\n"} 5
http_request_duration_seconds_sum{path="/a \\"q\\" \\\\ \\n"} 1.5
http_request_duration_seconds_count{path="/a \\"q\\" \\\\ \\n"} 5
weird_values{k="nan"} NaN
weird_values{k="pinf"} +Inf
weird_values{k="ninf"} -Inf 1700000000000
go_gc_duration_seconds{quantile="0.5"} 1.2e-05 # {trace_id="abc"} 1 1700000000.000
`;

describe('text exposition parser', () => {
  it('parses samples, escapes, special values, timestamps and metadata', () => {
    const e = parseExposition(NODE_EXPORTER);
    expect(e.samples).toHaveLength(11);
    expect(e.samples[0]).toEqual({ labels: { __name__: 'node_cpu_seconds_total', cpu: '0', mode: 'idle' }, value: 1.23e6, timestampMs: undefined });
    expect(e.samples[3]!.labels.path).toBe('/a "q" \\ \n');
    expect(Number.isNaN(e.samples[7]!.value)).toBe(true);
    expect(e.samples[8]!.value).toBe(Infinity);
    expect(e.samples[9]).toMatchObject({ value: -Infinity, timestampMs: 1_700_000_000_000 });
    expect(e.samples[10]!.value).toBe(1.2e-5);
    expect(e.metadata.find((m) => m.metric === 'node_load1')).toEqual({ metric: 'node_load1', type: 'gauge', help: '1m load average.', unit: '' });
  });

  it('names the line of a syntax error', () => {
    expect(() => parseExposition('ok 1\nbad{x="1" 2\n')).toThrow(/line 2/);
    expect(() => parseExposition('x{a="1",a="2"} 1')).toThrow(/duplicate label a/);
    expect(() => parseExposition('x 12abc')).toThrow(/invalid value/);
    expect(() => parseExposition('# TYPE x bogus')).toThrow(/unknown metric type/);
  });
});

describe('ScrapeManager', () => {
  const tmp = tempDir();
  let store: SqliteMetricsStore;
  let server: Server;
  let port = 0;
  let body = NODE_EXPORTER;
  let status = 200;

  beforeAll(async () => {
    store = await SqliteMetricsStore.open({ file: join(tmp.dir, 'm.db') });
    server = createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('x 1\n'), 500);
      res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.close();
    await store.close();
    tmp.dispose();
  });

  it('scrapes targets with relabelling, writes up and marks vanished series stale', async () => {
    const ingestor = new MetricsIngestor(store);
    const mgr = new ScrapeManager(ingestor, [
      {
        job: 'node',
        intervalMs: 1000,
        timeoutMs: 200,
        targets: [
          { url: `http://127.0.0.1:${port}/metrics`, labels: { env: 'prod' } },
          { url: `http://127.0.0.1:${port}/slow`, labels: { env: 'prod' } },
          { url: `http://127.0.0.1:${port}/metrics?skip=1`, labels: { env: 'dev' } },
        ],
        relabelConfigs: [
          { action: 'drop', source_labels: ['env'], regex: 'dev' },
          { action: 'replace', source_labels: ['__address__'], regex: '([^:]+):.*', target_label: 'host', replacement: '$1' },
        ],
        metricRelabelConfigs: [{ action: 'drop', source_labels: ['__name__'], regex: 'go_.*' }],
      },
    ]);
    expect(mgr.activeTargets()).toHaveLength(2);
    const results = await mgr.scrapeAll();
    expect(results[0]).toMatchObject({ up: true, samples: 11 });
    expect(results[1]).toMatchObject({ up: false });
    const now = Date.now();
    const load = await store.select([{ name: '__name__', type: '=', value: 'node_load1' }], now - 60_000, now + 1000);
    expect(load[0]!.labels).toEqual({ __name__: 'node_load1', job: 'node', instance: `127.0.0.1:${port}`, env: 'prod', host: '127.0.0.1' });
    expect(await store.select([{ name: '__name__', type: '=', value: 'go_gc_duration_seconds' }], now - 60_000, now + 1000)).toEqual([]);
    const up = await store.select([{ name: '__name__', type: '=', value: 'up' }], now - 60_000, now + 1000);
    expect(Object.fromEntries(up.map((s) => [s.labels.instance, s.values[0]]))).toEqual({ [`127.0.0.1:${port}`]: 1 });
    expect(await store.metadata('node_cpu_seconds_total')).toHaveLength(1);
    // node_load1 disappears from the exporter: the next scrape writes a stale marker
    body = NODE_EXPORTER.replace('node_load1 0.42\n', '');
    await new Promise((r) => setTimeout(r, 5));
    await mgr.scrapeAll();
    const after = await store.select([{ name: '__name__', type: '=', value: 'node_load1' }], now - 60_000, Date.now() + 1000);
    expect(after[0]!.values.length).toBe(2);
    expect(isStaleNaN(after[0]!.values[1]!)).toBe(true);
    // the exporter fails: up = 0
    status = 500;
    await new Promise((r) => setTimeout(r, 5));
    const failed = await mgr.scrapeAll();
    expect(failed[0]).toMatchObject({ up: false, error: 'HTTP 500' });
    status = 200;
  });

  it('refuses bad scrape configuration naming the field', () => {
    const ingestor = new MetricsIngestor(store);
    expect(() => new ScrapeManager(ingestor, [{ job: 'x', targets: [{ url: 'not a url' }] }])).toThrow(/targets\[0\]/);
    expect(() => new ScrapeManager(ingestor, [{ job: 'x', targets: [], intervalMs: 1000, timeoutMs: 5000 }])).toThrow(/timeout/);
    expect(() => new ScrapeManager(ingestor, [{ job: 'x', targets: [], relabelConfigs: [{ action: 'keep', regex: '(' }] }])).toThrow(/regex/);
  });
});
