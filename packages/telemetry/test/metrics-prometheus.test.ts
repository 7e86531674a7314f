// A real Prometheus (Debian package `prometheus`) scrapes itself and remote-writes to our
// endpoint; what lands must be what Prometheus itself answers for the same series and time.
// CI installs the package; the test is skipped only where the binary is absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fastify, type FastifyInstance } from 'fastify';
import { metricsRoutes, SqliteMetricsStore } from '../src/index.js';
import { fakeEngine, tempDir } from './metrics-helpers.js';

const hasPrometheus = spawnSync('prometheus', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

describe.skipIf(!hasPrometheus)('Prometheus remote_write into the platform', () => {
  const tmp = tempDir('sw-prom-rw-');
  let store: SqliteMetricsStore;
  let app: FastifyInstance;
  let prom: ChildProcess;
  let promUrl = '';
  let ourUrl = '';

  beforeAll(async () => {
    store = await SqliteMetricsStore.open({ file: join(tmp.dir, 'm.db') });
    app = fastify();
    await app.register(metricsRoutes, { prefix: '/prometheus', engine: fakeEngine(), store });
    await app.listen({ host: '127.0.0.1', port: 0 });
    ourUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/prometheus`;
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(
      join(tmp.dir, 'prometheus.yml'),
      `global:
  scrape_interval: 500ms
scrape_configs:
  - job_name: prom
    static_configs: [{ targets: ['127.0.0.1:${promPort}'] }]
remote_write:
  - url: ${ourUrl}/api/v1/write
    queue_config: { batch_send_deadline: 200ms, max_samples_per_send: 500 }
    metadata_config: { send_interval: 1s }
`,
    );
    prom = spawn('prometheus', [`--config.file=${join(tmp.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp.dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=error'], { stdio: 'ignore' });
  });
  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const gone = new Promise((r) => prom.once('exit', r));
      prom.kill('SIGTERM');
      await gone;
    }
    await app?.close();
    await store?.close();
    tmp.dispose();
  });

  it('receives samples and metadata that match what Prometheus answers itself', async () => {
    const m = [{ name: '__name__', type: '=' as const, value: 'up' }];
    let got: Awaited<ReturnType<typeof store.select>> = [];
    // wait for three scrapes: the first one's samples (all shards) have then surely arrived
    for (let i = 0; i < 100 && (got[0]?.timestamps.length ?? 0) < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      got = await store.select(m, Date.now() - 60_000, Date.now() + 1000);
    }
    expect(got).toHaveLength(1);
    expect(got[0]!.labels).toEqual({ __name__: 'up', job: 'prom', instance: promUrl.replace('http://', '') });
    // the same series at the same instant, from Prometheus and from us
    const t = got[0]!.timestamps[0]! / 1000;
    for (const q of ['up', 'prometheus_tsdb_head_series', 'prometheus_build_info', 'process_start_time_seconds', '{__name__=~"go_gc_duration_seconds.*"}']) {
      const theirs: any = await (await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: q, time: String(t) })}`)).json();
      const ours: any = await (await fetch(`${ourUrl}/api/v1/query?${new URLSearchParams({ query: q, time: String(t) })}`)).json();
      expect(ours.status, q).toBe('success');
      const norm = (r: { metric: Record<string, string>; value: [number, string] }[]) => r.map((x) => [JSON.stringify(x.metric), x.value[1]]).sort();
      expect(norm(ours.data.result), q).toEqual(norm(theirs.data.result));
      expect(theirs.data.result.length, q).toBeGreaterThan(0);
    }
    let meta: Record<string, unknown> = {};
    for (let i = 0; i < 50 && !meta.prometheus_tsdb_head_series; i++) {
      await new Promise((r) => setTimeout(r, 200));
      meta = ((await (await fetch(`${ourUrl}/api/v1/metadata`)).json()) as any).data;
    }
    expect(meta.prometheus_tsdb_head_series).toEqual([{ type: 'gauge', help: 'Total number of series in the head block.', unit: '' }]);
  }, 40_000);
});
