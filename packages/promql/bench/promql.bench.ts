// npm run bench:promql — p50/p99 of a 20-series rate(x[5m]) range query over 24 h of 15 s data
// (step 60 s) on MemoryQueryable, parse time, and the same query on a real Prometheus beside it
// when /usr/bin/prometheus and promtool are installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemoryQueryable, createEngine, parse } from '../src/index.js';

const SERIES = 20;
const SCRAPE_MS = 15_000;
const SPAN_MS = 24 * 3600_000;
const STEP_MS = 60_000;
const START = 1_700_000_000_000;
const END = START + SPAN_MS;
const QUERY = 'rate(bench_requests_total[5m])';
const RUNS = Number(process.env.BENCH_RUNS ?? 60);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function data(): { labels: Record<string, string>; ts: number[]; vs: number[] }[] {
  const out = [];
  for (let i = 0; i < SERIES; i++) {
    const ts: number[] = [];
    const vs: number[] = [];
    let v = 0;
    for (let t = START; t <= END; t += SCRAPE_MS) {
      v += (i + 1) * 3 + ((t / SCRAPE_MS) % 7);
      ts.push(t + i * 500);
      vs.push(v);
    }
    out.push({ labels: { __name__: 'bench_requests_total', instance: `host-${i}`, job: 'bench' }, ts, vs });
  }
  return out;
}

async function timeIt(runs: number, f: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await f(); // warm-up (JIT)
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    xs.push(performance.now() - t0);
  }
  return xs;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function prometheusPeer(series: ReturnType<typeof data>): Promise<number[] | undefined> {
  if (!existsSync('/usr/bin/prometheus') || !existsSync('/usr/bin/promtool')) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'promql-bench-'));
  const lines: string[] = ['# TYPE bench_requests counter'];
  for (const s of series) {
    const ls = `instance="${s.labels.instance}",job="bench"`;
    for (let i = 0; i < s.ts.length; i++) lines.push(`bench_requests_total{${ls}} ${s.vs[i]} ${(s.ts[i]! / 1000).toFixed(3)}`);
  }
  lines.push('# EOF');
  writeFileSync(join(dir, 'data.om'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'p.yml'), 'global:\n  scrape_interval: 15s\n');
  const r = spawnSync('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), join(dir, 'tsdb')]);
  if (r.status !== 0) return undefined;
  const port = await freePort();
  const proc = spawn('/usr/bin/prometheus', [`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=100y'], { stdio: 'ignore' });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 150; i++) {
      const ok = await fetch(`${base}/-/ready`).then((x) => x.ok, () => false);
      if (ok) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const body = new URLSearchParams({ query: QUERY, start: String(START / 1000), end: String(END / 1000), step: String(STEP_MS / 1000) });
    return await timeIt(RUNS, async () => {
      const res = await fetch(`${base}/api/v1/query_range`, { method: 'POST', body });
      await res.json();
    });
  } finally {
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const series = data();
  const mem = new MemoryQueryable();
  for (const s of series) for (let i = 0; i < s.ts.length; i++) mem.add(s.labels, s.ts[i]!, s.vs[i]!);
  const engine = createEngine();
  const samples = series.reduce((n, s) => n + s.ts.length, 0);
  console.log(`data: ${SERIES} series, ${samples} samples (24 h at 15 s); query ${QUERY}, step ${STEP_MS / 1000} s, ${(END - START) / STEP_MS + 1} steps`);

  const check = await engine.rangeQuery(mem, QUERY, START, END, STEP_MS);
  if (check.data.resultType !== 'matrix' || check.data.result.length !== SERIES) throw new Error('unexpected result');

  const ours = await timeIt(RUNS, () => engine.rangeQuery(mem, QUERY, START, END, STEP_MS));
  const ser = await timeIt(RUNS, async () => JSON.stringify((await engine.rangeQuery(mem, QUERY, START, END, STEP_MS)).data));
  console.log(`engine (MemoryQueryable)      p50 ${pct(ours, 50).toFixed(2)} ms  p99 ${pct(ours, 99).toFixed(2)} ms  (${RUNS} runs)`);
  console.log(`engine + JSON.stringify       p50 ${pct(ser, 50).toFixed(2)} ms  p99 ${pct(ser, 99).toFixed(2)} ms`);

  const queries = [
    QUERY,
    'sum by (job) (rate(http_requests_total{code=~"5..", job!="x"}[5m])) / on(job) group_left sum by (job) (rate(http_requests_total[5m]))',
    'histogram_quantile(0.99, sum by (le, service) (rate(http_request_duration_seconds_bucket{service="api"}[5m])))',
    'max_over_time(rate(x[5m])[1h:1m] offset 1d) > bool 10 or label_replace(up, "a", "$1", "b", "(.*)")',
  ];
  for (const q of queries) {
    const n = 2000;
    for (let i = 0; i < 200; i++) parse(q);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) parse(q);
    const us = ((performance.now() - t0) / n) * 1000;
    console.log(`parse ${q.length.toString().padStart(3)} chars  ${us.toFixed(1)} µs/query   ${q.slice(0, 60)}${q.length > 60 ? '…' : ''}`);
  }

  const peer = await prometheusPeer(series);
  if (peer) {
    console.log(`peer: Prometheus 2.42 HTTP   p50 ${pct(peer, 50).toFixed(2)} ms  p99 ${pct(peer, 99).toFixed(2)} ms  (same data and query, incl. HTTP + JSON)`);
  } else {
    console.log('peer: Prometheus not installed (scripts/ci/install-prometheus.sh), no peer figure');
  }
}

await main();
