// Runs the corpus against a real Prometheus (Debian package) and against this engine over the same
// samples. Skipped when prometheus/promtool are missing, unless SREWORKS_REQUIRE_PROMETHEUS=1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueryable, createEngine, type QueryResult } from '../src/index.js';
import { BAD_QUERIES } from './fixtures/bad-queries.js';
import { CORPUS } from './fixtures/corpus.js';
import { BASE_MS, generateDataset, toOpenMetrics } from './fixtures/dataset.js';
import { makeFuzzer } from './fixtures/fuzz.js';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const have = existsSync(PROMETHEUS) && existsSync(PROMTOOL);
const required = process.env.SREWORKS_REQUIRE_PROMETHEUS === '1';

const T3H = (BASE_MS + 3 * 3600_000) / 1000;
const INSTANT_AT = BASE_MS + 4 * 3600_000 + 7_000; // 4h into the data, between scrapes
const INSTANT_AT2 = BASE_MS + 2.5 * 3600_000 + 1_234; // inside instance i4's gap
const RANGE = { start: BASE_MS + 2 * 3600_000, end: BASE_MS + 5 * 3600_000, step: 300_000 };
// a second range whose steps fall exactly on the api histogram's scrape times (inclusive window edges)
const EDGE_RANGE = { start: BASE_MS + 3 * 3600_000 + 3000, end: BASE_MS + 3 * 3600_000 + 3000 + 1800_000, step: 15_000 };

type Outcome = { ok: true; data: QueryResult } | { ok: false; error: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function close(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

const key = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Differences between two results (empty when they agree). */
export function diff(want: Outcome, got: Outcome, ordered: boolean): string[] {
  if (!want.ok || !got.ok) {
    if (!want.ok && !got.ok) return [];
    return [`prometheus: ${want.ok ? 'ok' : want.error}; engine: ${got.ok ? 'ok' : got.error}`];
  }
  const w = want.data;
  const g = got.data;
  if (w.resultType !== g.resultType) return [`result type ${w.resultType} vs ${g.resultType}`];
  if (w.resultType === 'scalar' || w.resultType === 'string') {
    const gv = g.result as [number, string];
    return w.result[0] === gv[0] && close(w.result[1], gv[1]) ? [] : [`scalar ${JSON.stringify(w.result)} vs ${JSON.stringify(gv)}`];
  }
  const out: string[] = [];
  const ws = w.result as { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[];
  const gs = g.result as typeof ws;
  if (ws.length !== gs.length) out.push(`series count ${ws.length} vs ${gs.length}`);
  const gm = new Map(gs.map((s) => [key(s.metric), s]));
  ws.forEach((s, i) => {
    const o = gm.get(key(s.metric));
    if (!o) { out.push(`missing ${key(s.metric)}`); return; }
    if (ordered && key(gs[i]!.metric) !== key(s.metric)) out.push(`order differs at ${i}`);
    const wv = s.value ? [s.value] : s.values!;
    const gv = o.value ? [o.value] : o.values!;
    if (wv.length !== gv.length) { out.push(`${key(s.metric)}: ${wv.length} points vs ${gv.length}`); return; }
    wv.forEach((p, j) => {
      const q = gv[j]!;
      if (p[0] !== q[0] || !close(p[1], q[1])) out.push(`${key(s.metric)} @${p[0]}: ${p[1]} vs ${q[0]}:${q[1]}`);
    });
  });
  const wm = new Set(ws.map((s) => key(s.metric)));
  for (const s of gs) if (!wm.has(key(s.metric))) out.push(`unexpected ${key(s.metric)}`);
  return out.slice(0, 5);
}

if (!have && required) {
  describe('PromQL against a real Prometheus', () => {
    it('needs /usr/bin/prometheus and /usr/bin/promtool (SREWORKS_REQUIRE_PROMETHEUS=1)', () => {
      expect.fail('prometheus/promtool missing: run scripts/ci/install-prometheus.sh');
    });
  });
}

describe.skipIf(!have)('PromQL against a real Prometheus 2.x', () => {
  let dir = '';
  let proc: ChildProcess | undefined;
  let base = '';
  const mem = new MemoryQueryable();
  const engine = createEngine();

  beforeAll(async () => {
    const data = generateDataset();
    for (const s of data) for (let i = 0; i < s.ts.length; i++) mem.add(s.labels, s.ts[i]!, s.vs[i]!);
    dir = mkdtempSync(join(tmpdir(), 'promql-compare-'));
    writeFileSync(join(dir, 'data.om'), toOpenMetrics(data));
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\n');
    const r = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), join(dir, 'tsdb')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`promtool failed: ${r.stderr}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proc = spawn(PROMETHEUS, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      '--query.lookback-delta=5m',
    ], { stdio: 'ignore' });
    for (let i = 0; i < 150; i++) {
      try {
        const res = await fetch(`${base}/-/ready`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error('prometheus did not become ready');
  }, 60_000);

  afterAll(() => {
    if (proc && proc.exitCode === null) proc.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function prom(path: string, params: Record<string, string>): Promise<Outcome> {
    const res = await fetch(`${base}${path}`, { method: 'POST', body: new URLSearchParams(params) });
    const body = (await res.json()) as { status: string; data: QueryResult; error?: string };
    return body.status === 'success' ? { ok: true, data: body.data } : { ok: false, error: body.error ?? 'error' };
  }

  async function ours(f: () => Promise<{ data: QueryResult }>): Promise<Outcome> {
    try {
      return { ok: true, data: (await f()).data };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  const cases = CORPUS.flatMap((c) => {
    const q = c.q.replaceAll('{T3H}', String(T3H));
    const out: { name: string; q: string; range: typeof RANGE | undefined; ordered: boolean; at?: number }[] = [];
    if (c.mode !== 'range') out.push({ name: `instant ${q}`, q, range: undefined, ordered: !!c.ordered });
    if (c.mode !== 'range') out.push({ name: `instant@2.5h ${q}`, q, range: undefined, ordered: !!c.ordered, at: INSTANT_AT2 });
    if (c.mode !== 'instant') out.push({ name: `range ${q}`, q, range: RANGE, ordered: false });
    if (c.edge) out.push({ name: `edge range ${q}`, q, range: EDGE_RANGE, ordered: false });
    return out;
  });
  let nonEmpty = 0;

  it.each(cases)('$name', async ({ q, range, ordered, at = INSTANT_AT }) => {
    const want = range
      ? await prom('/api/v1/query_range', { query: q, start: String(range.start / 1000), end: String(range.end / 1000), step: String(range.step / 1000) })
      : await prom('/api/v1/query', { query: q, time: String(at / 1000) });
    const got = range
      ? await ours(() => engine.rangeQuery(mem, q, range.start, range.end, range.step))
      : await ours(() => engine.instantQuery(mem, q, at));
    if (want.ok && (want.data.resultType === 'scalar' || want.data.result.length > 0)) nonEmpty++;
    expect(diff(want, got, ordered)).toEqual([]);
  });

  it.each(BAD_QUERIES)('parse error %s', async (q) => {
    const want = await prom('/api/v1/query', { query: q, time: String(INSTANT_AT / 1000) });
    const got = await ours(() => engine.instantQuery(mem, q, INSTANT_AT));
    expect(want.ok).toBe(false);
    expect(got.ok ? 'no error' : got.error).toBe(want.ok ? 'ok' : want.error.replace(/^invalid parameter "query": /, ''));
  });

  // opt-in: SREWORKS_PROMQL_FUZZ=N compares N random expressions (instant and range)
  const fuzzN = Number(process.env.SREWORKS_PROMQL_FUZZ ?? 0);
  const fuzz = makeFuzzer(Number(process.env.SREWORKS_PROMQL_FUZZ_SEED ?? 1));
  const fuzzCases = Array.from({ length: fuzzN }, () => fuzz());
  it.skipIf(fuzzN === 0).each(fuzzCases)('fuzz %s', async (q) => {
    // Prometheus 2.x feeds range-query steps to topk/bottomk in Go map order, so ties pick random series
    // (instant queries too when a subquery, itself a range evaluation, feeds them)
    const ties = /topk|bottomk/.test(q);
    const modes = ties && /:\w*\]/.test(q) ? [] : ties ? [undefined] : [undefined, RANGE];
    for (const range of modes) {
      const want = range
        ? await prom('/api/v1/query_range', { query: q, start: String(range.start / 1000), end: String(range.end / 1000), step: String(range.step / 1000) })
        : await prom('/api/v1/query', { query: q, time: String(INSTANT_AT / 1000) });
      const got = range
        ? await ours(() => engine.rangeQuery(mem, q, range.start, range.end, range.step))
        : await ours(() => engine.instantQuery(mem, q, INSTANT_AT));
      expect(diff(want, got, false), range ? 'range' : 'instant').toEqual([]);
    }
  });

  // opt-in: the same seed also mutates corpus queries (drop, insert or cut a character) and
  // compares the syntax errors word for word
  const mutations = (() => {
    let a = Number(process.env.SREWORKS_PROMQL_FUZZ_SEED ?? 1);
    const rnd = (): number => {
      a = (a * 1103515245 + 12345) & 0x7fffffff;
      return a / 0x7fffffff;
    };
    const bits = ['(', ')', '{', '}', '[', ']', ',', '"', '=', '~', '!', '+', '*', ' ', 'x', '1', ':', '@', 'by', 'offset', '5m'];
    return Array.from({ length: fuzzN }, () => {
      const base = CORPUS[Math.floor(rnd() * CORPUS.length)]!.q.replaceAll('{T3H}', String(T3H));
      const p = Math.floor(rnd() * base.length);
      const r = rnd();
      if (r < 0.33) return base.slice(0, p) + base.slice(p + 1);
      if (r < 0.66) return base.slice(0, p) + bits[Math.floor(rnd() * bits.length)]! + base.slice(p);
      return base.slice(0, p) || base;
    });
  })();
  it.skipIf(fuzzN === 0).each(mutations)('mutated %s', async (q) => {
    const want = await prom('/api/v1/query', { query: q, time: String(INSTANT_AT / 1000) });
    const got = await ours(() => engine.instantQuery(mem, q, INSTANT_AT));
    if (want.ok || !/parse error/.test(want.error)) {
      // a valid query (or one failing at execution): we must not reject it while parsing
      expect(got.ok || !/parse error/.test(got.error) ? 'ok' : got.error).toBe('ok');
      return;
    }
    expect(got.ok ? 'no error' : got.error).toBe(want.error.replace(/^invalid parameter "query": /, ''));
  });

  it('compares real data, not empty results', () => {
    // a corpus whose results are mostly empty would agree trivially
    expect(nonEmpty).toBeGreaterThan(cases.length * 0.85);
  });
});
