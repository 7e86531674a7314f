// bench:logs — Loki push throughput (JSON and snappy protobuf) into the embedded SQLite store and
// into ClickHouse (chDB in-process), then p50/p99 of a typical 24 h dashboard query.
// Usage: npm run bench:logs -w @sreworks/telemetry   (env LINES=lines per format, default 100000;
// STORES=sqlite,sqlite-team,sqlite-inline,chdb,chdb-team, default sqlite,chdb)
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import snappy from 'snappy';
import { ClickHouseLogStore, DEFAULT_INGEST_LIMITS, DEFAULT_TENANT_LABEL, SqliteLogStore, decodeLokiPush, lokiRoutes, stampStreams, type LogStore } from '../src/index.js';
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

async function send(base: string, batches: Batch[], kind: 'json' | 'proto', team?: string): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const b = batches[next++]!;
        const r = await fetch(`${base}/loki/api/v1/push`, {
          method: 'POST',
          body: kind === 'json' ? b.json : b.proto,
          headers: { 'content-type': kind === 'json' ? 'application/json' : 'application/x-protobuf', ...(team ? { 'x-team': team } : {}) },
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

type Timing = { p50: number; p99: number; series: number };

/** Runs the query as each caller in turn (interleaved, so load drift hits every caller alike). */
async function timeQueriesAs(app: FastifyInstance, query: Record<string, string>, callers: (string | undefined)[]): Promise<Timing[]> {
  const times: number[][] = callers.map(() => []);
  const series = callers.map(() => 0);
  for (let i = 0; i < QUERY_RUNS + 2; i++) {
    for (const [c, team] of callers.entries()) {
      const t0 = performance.now();
      const r = await app.inject({ method: 'GET', url: '/loki/api/v1/query_range', query, headers: team ? { 'x-team': team } : {} });
      const dt = performance.now() - t0;
      if (r.statusCode !== 200) throw new Error(`query failed: ${r.body}`);
      series[c] = (r.json() as { data: { result: unknown[] } }).data.result.length;
      if (i >= 2) times[c]!.push(dt); // two warm-up runs
    }
  }
  return times.map((t, c) => {
    t.sort((a, b) => a - b);
    return { p50: pct(t, 50), p99: pct(t, 99), series: series[c]! };
  });
}

/** CPU the ingest side of isolation adds: stamping decoded batches, against decoding them (ns per line). */
function stampCost(batches: Batch[], team: string): { stampNs: number; decodeNs: number } {
  const lines = batches.reduce((n, b) => n + b.lines, 0);
  const t0 = performance.now();
  const decoded = batches.map((b) => decodeLokiPush(b.json, { contentType: 'application/json' }, DEFAULT_INGEST_LIMITS));
  const t1 = performance.now();
  for (const d of decoded) stampStreams(d, DEFAULT_TENANT_LABEL, team);
  const t2 = performance.now();
  return { stampNs: ((t2 - t1) * 1e6) / lines, decodeNs: ((t1 - t0) * 1e6) / lines };
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
  // A request without x-team then reads unscoped (as a platform admin does).
  await app.register(lokiRoutes, { logs: store, prefix: '/loki', ...(team ? { tenantOf: (req: FastifyRequest) => req.headers['x-team'] as string | undefined } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const spanNs = 24n * 3_600_000_000_000n;
  const startNs = endNs - spanNs;
  const jsonBatches = buildBatches(corpus, LINES, 0, startNs, spanNs, PushRequest);
  const protoBatches = buildBatches(corpus, LINES, 1, startNs, spanNs, PushRequest);
  const jsonRate = await send(base, jsonBatches, 'json', team);
  const protoRate = await send(base, protoBatches, 'proto', team);
  const range = { start: startNs.toString(), end: endNs.toString() };
  const metricQ = { query: QUERY, ...range, step: '60' };
  const logsQ = { query: '{app="x"} |= "error"', ...range, limit: '100' };
  // With a team, the read cost of isolation on the same data: each query also runs unscoped.
  const callers = team ? [team, undefined] : [undefined];
  const [metric, metricUnscoped] = await timeQueriesAs(app, metricQ, callers);
  const [logs, logsUnscoped] = await timeQueriesAs(app, logsQ, callers);
  const unscoped = team ? { metric: metricUnscoped!, logs: logsUnscoped! } : undefined;
  const stamp = team ? stampCost(jsonBatches, team) : undefined;
  const rss = process.memoryUsage().rss;
  await app.close();
  await store.close();
  const disk = dirSize(dir);
  rmSync(dir, { recursive: true, force: true });
  return { name, jsonRate, protoRate, metric: metric!, logs: logs!, disk, rss, unscoped, stamp };
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
  for (const r of results) {
    if (!r.unscoped || !r.stamp) continue;
    console.log(
      `\n${r.name}: same data read unscoped (admin), interleaved — metric p50 / p99 ${r.unscoped.metric.p50.toFixed(1)} / ${r.unscoped.metric.p99.toFixed(1)} ms, log query ${r.unscoped.logs.p50.toFixed(1)} / ${r.unscoped.logs.p99.toFixed(1)} ms; ` +
        `scoped/unscoped p50: metric ${(r.metric.p50 / r.unscoped.metric.p50).toFixed(2)}, log ${(r.logs.p50 / r.unscoped.logs.p50).toFixed(2)}; ` +
        `stamping ${r.stamp.stampNs.toFixed(0)} ns/line vs JSON decode ${r.stamp.decodeNs.toFixed(0)} ns/line`,
    );
  }
  console.log('\npeer figures (reference probe, raw engine inserts without HTTP/decoding): SQLite + FTS5 52 k lines/s, chDB 76 k lines/s; Loki itself is not installable here.');
}

await main();
