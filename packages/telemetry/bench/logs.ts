// bench:logs — Loki push throughput (JSON and snappy protobuf) into the embedded SQLite store and
// into ClickHouse (chDB in-process), then p50/p99 of a typical 24 h dashboard query.
// Usage: npm run bench:logs -w @sreworks/telemetry   (env LINES=lines per format, default 100000;
// STORES=sqlite,sqlite-team,sqlite-inline,chdb,chdb-team, default sqlite,chdb)
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import snappy from 'snappy';
import { ClickHouseLogStore, SqliteLogStore, lokiRoutes, type LogStore } from '../src/index.js';
import { chdb, chdbClient } from '../test/logs/chdb.js';

const LINES = Number(process.env.LINES ?? 100_000);
const BATCH = 1000;
const CONCURRENCY = 4;
const QUERY_RUNS = Number(process.env.QUERY_RUNS ?? 30);
const FIXTURES = fileURLToPath(new URL('../../../../../shared/fixtures/loghub-2k/', import.meta.url));
const QUERY = 'sum by (level) (count_over_time({app="x"} |= "error" [5m]))';

/** Real log lines (Loghub-2k): Apache is app "x" (it has error-level lines), four others beside it. */
function loadCorpus(): { app: string; level: string; line: string }[] {
  const systems: [string, string][] = [
    ['Apache', 'x'],
    ['HDFS', 'hdfs'],
    ['Zookeeper', 'zookeeper'],
    ['Spark', 'spark'],
    ['Hadoop', 'hadoop'],
  ];
  const out: { app: string; level: string; line: string }[] = [];
  for (const [sys, app] of systems) {
    const text = readFileSync(join(FIXTURES, sys, `${sys}_2k.log_structured.csv`), 'utf8');
    const rows = parseCsv(text);
    const header = rows[0]!;
    const li = header.indexOf('Level');
    const ci = header.indexOf('Content');
    for (const r of rows.slice(1)) {
      if (r.length < header.length) continue;
      const level = (r[li] ?? 'info').toLowerCase().replace('warning', 'warn');
      out.push({ app, level, line: `${new Date().toISOString()} ${level.toUpperCase()} ${r[ci]}` });
    }
  }
  return out;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else if (c !== '\r') cur += c;
  }
  if (cur || row.length) rows.push([...row, cur]);
  return rows;
}

interface Batch {
  json: Buffer;
  proto: Buffer;
  lines: number;
}

/** Pre-encode every request so the timed part is the server (decode, store, fsync). */
function buildBatches(corpus: ReturnType<typeof loadCorpus>, count: number, offset: number, startNs: bigint, spanNs: bigint, PushRequest: protobuf.Type): Batch[] {
  const batches: Batch[] = [];
  for (let b = 0; b < count / BATCH; b++) {
    const streams = new Map<string, { labels: Record<string, string>; values: [string, string][] }>();
    for (let i = 0; i < BATCH; i++) {
      const n = b * BATCH + i;
      const rec = corpus[(n * 7919) % corpus.length]!;
      // Interleave the JSON and protobuf phases over the same 24 h.
      const ts = startNs + (spanNs * BigInt(2 * n + offset)) / BigInt(2 * count);
      const key = `${rec.app}/${rec.level}`;
      let s = streams.get(key);
      if (!s) streams.set(key, (s = { labels: { app: rec.app, level: rec.level, host: `node-${n % 3}` }, values: [] }));
      s.values.push([ts.toString(), rec.line]);
    }
    const list = [...streams.values()];
    const json = Buffer.from(JSON.stringify({ streams: list.map((s) => ({ stream: s.labels, values: s.values })) }));
    const msg = PushRequest.fromObject({
      streams: list.map((s) => ({
        labels: `{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`,
        entries: s.values.map(([ts, line]) => ({ timestamp: { seconds: (BigInt(ts) / 1_000_000_000n).toString(), nanos: Number(BigInt(ts) % 1_000_000_000n) }, line })),
      })),
    });
    const proto = snappy.compressSync(Buffer.from(PushRequest.encode(msg).finish()));
    batches.push({ json, proto, lines: BATCH });
  }
  return batches;
}

async function send(base: string, batches: Batch[], kind: 'json' | 'proto'): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const b = batches[next++]!;
        const r = await fetch(`${base}/loki/api/v1/push`, {
          method: 'POST',
          body: kind === 'json' ? b.json : b.proto,
          headers: { 'content-type': kind === 'json' ? 'application/json' : 'application/x-protobuf' },
        });
        if (r.status !== 204) throw new Error(`push failed: ${r.status} ${await r.text()}`);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  return batches.reduce((n, b) => n + b.lines, 0) / secs;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeQueries(app: FastifyInstance, query: Record<string, string>): Promise<{ p50: number; p99: number; series: number }> {
  const times: number[] = [];
  let series = 0;
  for (let i = 0; i < QUERY_RUNS + 2; i++) {
    const t0 = performance.now();
    const r = await app.inject({ method: 'GET', url: '/loki/api/v1/query_range', query });
    const dt = performance.now() - t0;
    if (r.statusCode !== 200) throw new Error(`query failed: ${r.body}`);
    series = (r.json() as { data: { result: unknown[] } }).data.result.length;
    if (i >= 2) times.push(dt); // two warm-up runs
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p99: pct(times, 99), series };
}

function dirSize(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, f) => n + dirSize(join(p, f)), 0);
}

async function run(name: string, open: (dir: string) => LogStore, corpus: ReturnType<typeof loadCorpus>, PushRequest: protobuf.Type, team?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  const store = open(dir);
  const app = Fastify({ bodyLimit: 50 * 1024 * 1024 });
  // With a team, as the server runs for team tokens: pushes are stamped, queries narrowed to it.
  await app.register(lokiRoutes, { logs: store, prefix: '/loki', ...(team ? { tenantOf: () => team } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const spanNs = 24n * 3_600_000_000_000n;
  const startNs = endNs - spanNs;
  const jsonBatches = buildBatches(corpus, LINES, 0, startNs, spanNs, PushRequest);
  const protoBatches = buildBatches(corpus, LINES, 1, startNs, spanNs, PushRequest);
  const jsonRate = await send(base, jsonBatches, 'json');
  const protoRate = await send(base, protoBatches, 'proto');
  const range = { start: startNs.toString(), end: endNs.toString() };
  const metric = await timeQueries(app, { query: QUERY, ...range, step: '60' });
  const logs = await timeQueries(app, { query: '{app="x"} |= "error"', ...range, limit: '100' });
  const rss = process.memoryUsage().rss;
  await app.close();
  await store.close();
  const disk = dirSize(dir);
  rmSync(dir, { recursive: true, force: true });
  return { name, jsonRate, protoRate, metric, logs, disk, rss };
}

async function main() {
  const loadBefore = loadavg();
  const corpus = loadCorpus();
  const root = await protobuf.load(fileURLToPath(new URL('../test/logs/push.proto', import.meta.url)));
  const PushRequest = root.lookupType('logproto.PushRequest');
  const which = (process.env.STORES ?? 'sqlite,chdb').split(',');
  const results = [];
  // `<store>-team` runs the same store with team isolation on (the cost of tenancy, same run).
  const sqlite = (d: string) => new SqliteLogStore({ path: join(d, 'logs.db') });
  const ch = (d: string) => new ClickHouseLogStore({ client: chdbClient(d) });
  for (const w of which) {
    if (w === 'sqlite') results.push(await run('SQLite (embedded default: writer thread, synchronous=FULL)', sqlite, corpus, PushRequest));
    if (w === 'sqlite-team') results.push(await run('SQLite, team isolation on', sqlite, corpus, PushRequest, 'team-1'));
    if (w === 'sqlite-inline') results.push(await run('SQLite, inline writer (batched transactions on the event loop)', (d) => new SqliteLogStore({ path: join(d, 'logs.db'), writer: 'inline' }), corpus, PushRequest));
    if ((w === 'chdb' || w === 'chdb-team') && !chdb) console.log('chDB skipped: chdb is not installed (npm install --no-save chdb@3.4)');
    if (w === 'chdb' && chdb) results.push(await run('ClickHouse otel_logs (chDB 26.7)', ch, corpus, PushRequest));
    if (w === 'chdb-team' && chdb) results.push(await run('ClickHouse otel_logs (chDB 26.7), team isolation on', ch, corpus, PushRequest, 'team-1'));
  }
  console.log(`\nload average before the run: ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores shared with other work)`);
  console.log(`bench:logs — ${LINES} lines per format over 24 h, batches of ${BATCH}, ${CONCURRENCY} concurrent HTTP senders, Node ${process.version}`);
  console.log(`query: ${QUERY}  (24 h, step 60 s, ${QUERY_RUNS} runs after 2 warm-ups)\n`);
  console.log('| store | Loki push JSON lines/s | Loki push protobuf lines/s | metric query p50 / p99 ms | `{app="x"} |= "error"` limit 100 p50 / p99 ms | disk MB | RSS MB |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${Math.round(r.jsonRate).toLocaleString('en')} | ${Math.round(r.protoRate).toLocaleString('en')} | ${r.metric.p50.toFixed(1)} / ${r.metric.p99.toFixed(1)} (${r.metric.series} series) | ${r.logs.p50.toFixed(1)} / ${r.logs.p99.toFixed(1)} | ${(r.disk / 1e6).toFixed(1)} | ${Math.round(r.rss / 1e6)} |`,
    );
  }
  console.log('\npeer figures (reference probe, raw engine inserts without HTTP/decoding): SQLite + FTS5 52 k lines/s, chDB 76 k lines/s; Loki itself is not installable here.');
}

await main();
