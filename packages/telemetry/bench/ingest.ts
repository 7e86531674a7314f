// npm run bench:ingest — remote_write ingestion and the 24 h panel query, ours against a real
// Prometheus (Debian package, started here on loopback with the remote-write receiver) fed the
// same stream; the embedded store (SQLite) and ClickHouse (chDB in-process) side by side; and
// the embedded-engine choice (SQLite vs DuckDB) measured on the same batches.
//
// Flags: --series 2000 --window-steps 240 --iterations 30 --shards 4 --no-prometheus --no-chdb --no-duckdb
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastify, type FastifyInstance } from 'fastify';
import { chdb, chdbClient } from '../test/logs/chdb.js';
import { ClickHouseMetricsStore, metricsRoutes, MetricsIngestor, SqliteMetricsStore, type MetricsStore } from '../src/index.js';
import { fakeEngine } from '../test/metrics-helpers.js';
import { DuckDbCandidate, duckdbAvailable } from './duckdb.js';
import { buildStream, percentile, send, type Stream } from './load.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const off = (name: string) => args.includes(`--no-${name}`);
const SERIES = flag('series', 2000);
const WINDOW = flag('window-steps', 240);
const ITER = flag('iterations', 30);
const SHARDS = flag('shards', 4);
// the real PromQL engine when @sreworks/promql provides one, else the test engine (rate only)
const promql = (await import('@sreworks/promql')) as Record<string, unknown>;
const engine: import('@sreworks/promql').PromQLEngine =
  typeof promql.createEngine === 'function' ? (promql.createEngine as () => import('@sreworks/promql').PromQLEngine)() : fakeEngine();
const engineName = typeof promql.createEngine === 'function' ? '@sreworks/promql engine' : 'test engine (rate only; @sreworks/promql has no engine in this tree)';
const PANEL_STEP_S = 60;

const work = mkdtempSync(join(tmpdir(), 'sw-bench-ingest-'));
const children: ChildProcess[] = [];
const results: Record<string, unknown> = {};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function dirSize(p: string): number {
  let n = 0;
  for (const e of readdirSync(p, { withFileTypes: true })) n += e.isDirectory() ? dirSize(join(p, e.name)) : statSync(join(p, e.name)).size;
  return n;
}

async function panel(url: string, stream: Stream, stepS = PANEL_STEP_S): Promise<{ p50: number; p99: number; points: number; sample: Map<string, number> }> {
  const q = new URLSearchParams({ query: `rate(${stream.panelSelector}[5m])`, start: String(stream.endMs / 1000 - 86_400), end: String(stream.endMs / 1000), step: String(stepS) });
  const times: number[] = [];
  let last: any;
  for (let i = 0; i < ITER + 3; i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(`${url}?${q}`);
    last = await res.json();
    if (last.status !== 'success') throw new Error(`${url}: ${JSON.stringify(last).slice(0, 300)}`);
    if (i >= 3) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const sample = new Map<string, number>();
  let points = 0;
  for (const r of last.data.result as { metric: Record<string, string>; values: [number, string][] }[]) {
    points += r.values.length;
    for (const [t, v] of r.values) sample.set(`${r.metric.instance}@${t}`, Number(v));
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), points, sample };
}

function compare(a: Map<string, number>, b: Map<string, number>): { common: number; maxRelDiff: number } {
  let common = 0;
  let max = 0;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined) continue;
    common++;
    const d = Math.abs(v - w) / Math.max(1e-9, Math.abs(w));
    if (d > max) max = d;
  }
  return { common, maxRelDiff: max };
}

async function ours(name: string, store: MetricsStore, stream: Stream) {
  const app: FastifyInstance = fastify({ bodyLimit: 64 << 20 });
  await app.register(metricsRoutes, { prefix: '/prometheus', engine, store, ingestor: new MetricsIngestor(store) });
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  const base = `http://127.0.0.1:${port}/prometheus`;
  try {
    await send(`${base}/api/v1/write`, stream.backfill);
    const ingest = await send(`${base}/api/v1/write`, stream.window);
    const q = await panel(`${base}/api/v1/query_range`, stream);
    const coarse = await panel(`${base}/api/v1/query_range`, stream, 300);
    return { name, ingest, samplesPerSec: ingest.samples / ingest.seconds, panel: q, coarse };
  } finally {
    await app.close();
  }
}

async function startPrometheus(): Promise<{ url: string; dir: string; stop(): Promise<void> }> {
  const dir = join(work, 'prometheus');
  const port = await freePort();
  writeFileSync(join(work, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const child = spawn('prometheus', [
    `--config.file=${join(work, 'prometheus.yml')}`,
    `--storage.tsdb.path=${dir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
    '--storage.tsdb.retention.time=3d',
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      /* not yet */
    }
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dir,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

function fmt(n: number, d = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

async function main() {
  console.log(`PromQL: ${engineName}`);
  console.log(`stream: ${SERIES} series x 8 labels, 15 s resolution; timed window ${WINDOW} steps (${(WINDOW * 15) / 60} min), ${SHARDS} shards, <= 2000 samples/request; panel 24 h of 20 series, step ${PANEL_STEP_S} s`);
  const stream = buildStream({ series: SERIES, windowSteps: WINDOW, shards: SHARDS, maxSamplesPerSend: 2000, endMs: Date.now() });
  console.log(`  timed: ${fmt(stream.windowSamples)} samples in ${stream.window.flat().length} requests; backfill: ${fmt(stream.backfillSamples)} samples`);

  const rows: string[] = [];
  let promSample: Map<string, number> | undefined;
  let promCoarse: Map<string, number> | undefined;
  const coarseRows: string[] = [];
  const coarseRow = (name: string, r: Awaited<ReturnType<typeof ours>>) => {
    const agree = promCoarse ? compare(r.coarse.sample, promCoarse) : undefined;
    coarseRows.push(`| ${name} | ${fmt(r.coarse.p50, 1)} | ${fmt(r.coarse.p99, 1)} | ${r.coarse.points} | ${agree ? `${agree.maxRelDiff.toExponential(1)} over ${agree.common} points` : '—'} |`);
    return { p50: r.coarse.p50, p99: r.coarse.p99, vsPrometheus: agree };
  };

  if (!off('prometheus')) {
    const prom = await startPrometheus();
    try {
      await send(`${prom.url}/api/v1/write`, stream.backfill);
      const ingest = await send(`${prom.url}/api/v1/write`, stream.window);
      const q = await panel(`${prom.url}/api/v1/query_range`, stream);
      const coarse = await panel(`${prom.url}/api/v1/query_range`, stream, 300);
      promSample = q.sample;
      promCoarse = coarse.sample;
      coarseRows.push(`| Prometheus 2.42 | ${fmt(coarse.p50, 1)} | ${fmt(coarse.p99, 1)} | ${coarse.points} | — |`);
      results.prometheus = { samplesPerSec: ingest.samples / ingest.seconds, ingest, panel: { p50: q.p50, p99: q.p99, points: q.points } };
      rows.push(`| Prometheus 2.42 (peer, WAL not fsynced per request) | ${fmt(ingest.samples / ingest.seconds)} | — | ${fmt(q.p50, 1)} | ${fmt(q.p99, 1)} | ${q.points} |`);
    } finally {
      await prom.stop();
    }
  }
  const promRate = (results.prometheus as { samplesPerSec: number } | undefined)?.samplesPerSec;

  for (const sync of ['FULL', 'NORMAL'] as const) {
    const dir = join(work, `sqlite-${sync}`);
    const store = await SqliteMetricsStore.open({ file: join(dir, 'metrics.db'), synchronous: sync });
    try {
      const r = await ours(`sqlite-${sync}`, store, stream);
      const agree = promSample ? compare(r.panel.sample, promSample) : undefined;
      const coarse = coarseRow(`embedded SQLite (${store.resolutionFor(stream.endMs - 86_400_000, stream.endMs, { stepMs: 300_000, rangeMs: 300_000, func: 'rate' })} rollup), synchronous=${sync}`, r);
      results[`sqlite_${sync}`] = { coarse, samplesPerSec: r.samplesPerSec, ingest: r.ingest, panel: { p50: r.panel.p50, p99: r.panel.p99, points: r.panel.points }, vsPrometheus: agree, diskBytes: dirSize(dir) };
      rows.push(`| embedded SQLite, synchronous=${sync} | ${fmt(r.samplesPerSec)} | ${promRate ? fmt(r.samplesPerSec / promRate, 2) : '—'} | ${fmt(r.panel.p50, 1)} | ${fmt(r.panel.p99, 1)} | ${r.panel.points}${agree ? ` (max rel. diff vs Prometheus ${agree.maxRelDiff.toExponential(1)} over ${agree.common} points)` : ''} |`);
    } finally {
      await store.close();
    }
  }

  if (!off('chdb') && !chdb) console.log('ClickHouse (chDB) skipped: chdb is not installed (npm install --no-save chdb@3.4)');
  if (!off('chdb') && chdb) {
    const client = chdbClient(join(work, 'chdb'));
    const store = await ClickHouseMetricsStore.open({ client, database: 'bench' });
    try {
      const r = await ours('chdb', store, stream);
      const agree = promSample ? compare(r.panel.sample, promSample) : undefined;
      const coarse = coarseRow(`ClickHouse store on chDB (${store.resolutionFor(stream.endMs - 86_400_000, stream.endMs, { stepMs: 300_000, rangeMs: 300_000, func: 'rate' })} rollup)`, r);
      results.clickhouse_chdb = { coarse, samplesPerSec: r.samplesPerSec, ingest: r.ingest, panel: { p50: r.panel.p50, p99: r.panel.p99, points: r.panel.points }, vsPrometheus: agree };
      rows.push(`| ClickHouse store on chDB (in-process) | ${fmt(r.samplesPerSec)} | ${promRate ? fmt(r.samplesPerSec / promRate, 2) : '—'} | ${fmt(r.panel.p50, 1)} | ${fmt(r.panel.p99, 1)} | ${r.panel.points}${agree ? ` (max rel. diff ${agree.maxRelDiff.toExponential(1)})` : ''} |`);
    } finally {
      await store.close();
    }
  }

  // the engine choice: the same batches written straight to each candidate (no HTTP), one
  // commit per request, then the panel (select + rate) in-process
  const engineRows: string[] = [];
  const direct = async (name: string, append: (b: (typeof stream.window)[0][0]) => Promise<unknown>, q: import('@sreworks/promql').Queryable, dir: string) => {
    for (const b of stream.backfill.flat()) await append(b);
    const t = process.hrtime.bigint();
    // shards interleaved round-robin: the order a single writer would see
    const max = Math.max(...stream.window.map((s) => s.length));
    for (let i = 0; i < max; i++) for (const s of stream.window) if (s[i]) await append(s[i]!);
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    const times: number[] = [];
    for (let i = 0; i < ITER + 3; i++) {
      const t1 = process.hrtime.bigint();
      await engine.rangeQuery(q, `rate(${stream.panelSelector}[5m])`, stream.endMs - 86_400_000, stream.endMs, PANEL_STEP_S * 1000);
      if (i >= 3) times.push(Number(process.hrtime.bigint() - t1) / 1e6);
    }
    const r = { samplesPerSec: stream.windowSamples / secs, p50: percentile(times, 50), p99: percentile(times, 99), diskBytes: dirSize(dir) };
    results[`engine_${name}`] = r;
    engineRows.push(`| ${name} | ${fmt(r.samplesPerSec)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.diskBytes / 1e6, 1)} MB |`);
  };
  {
    const dir = join(work, 'direct-sqlite');
    const store = await SqliteMetricsStore.open({ file: join(dir, 'metrics.db'), synchronous: 'FULL' });
    try {
      await direct('SQLite 3.53 (better-sqlite3 12, worker thread, WAL, synchronous=FULL, rollups maintained)', (b) => store.append(b.series), store, dir);
    } finally {
      await store.close();
    }
  }
  if (!off('duckdb') && !(await duckdbAvailable())) console.log('DuckDB candidate skipped: npm install --no-save @duckdb/node-api@1.5.6-r.1 to measure it');
  if (!off('duckdb') && (await duckdbAvailable())) {
    const dir = join(work, 'direct-duckdb');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const duck = await DuckDbCandidate.open(join(dir, 'metrics.duckdb'));
    try {
      await direct('DuckDB 1.5 (@duckdb/node-api, Appender, no rollups)', (b) => duck.append(b.series), duck, dir);
    } finally {
      await duck.close();
    }
  }

  console.log('\nremote_write over HTTP (samples/s of the timed window) and the 24 h panel over HTTP (ms):\n');
  console.log('| target | samples/s | ratio to Prometheus | panel p50 ms | panel p99 ms | points |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log('\nthe same 24 h panel at a 5 min step (long-range: stores read their 1-minute rollups):\n');
  console.log('| target | p50 ms | p99 ms | points | max rel. diff vs Prometheus (raw) |');
  console.log('|---|---|---|---|---|');
  for (const r of coarseRows) console.log(r);
  console.log('\nembedded engine candidates, same batches written in-process (one commit per request), panel = select + rate in-process:\n');
  console.log('| engine | samples/s | panel p50 ms | panel p99 ms | disk |');
  console.log('|---|---|---|---|---|');
  for (const r of engineRows) console.log(r);
  console.log('\n' + JSON.stringify(results, (k, v) => (v instanceof Map ? undefined : v)));
}

try {
  await main();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
