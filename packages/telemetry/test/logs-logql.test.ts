import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { SqliteLogStore, parseLogQL, evalLogQuery, evalMetricQuery, LogQLParseError, DEFAULT_LOGQL_LIMITS, type LogStore, type MetricExpr, type LogSelectorExpr } from '../src/index.js';
import { compileTemplate } from '../src/logs/logql/template.js';

function parseError(q: string): LogQLParseError {
  try {
    parseLogQL(q);
  } catch (e) {
    expect(e).toBeInstanceOf(LogQLParseError);
    return e as LogQLParseError;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('LogQL parser', () => {
  it('parses selectors with all four matchers and every pipeline stage', () => {
    const e = parseLogQL('{app="api", env!="dev", pod=~"api-.*", ns!~`kube-.*`} |= "error" != "debug" |~ "time=\\\\d+" !~ "x" | json | logfmt | status >= 500 and method="GET" or duration > 1.5s | line_format "{{.method}} {{.status}}"') as LogSelectorExpr;
    expect(e.matchers).toEqual([
      { name: 'app', op: '=', value: 'api' },
      { name: 'env', op: '!=', value: 'dev' },
      { name: 'pod', op: '=~', value: 'api-.*' },
      { name: 'ns', op: '!~', value: 'kube-.*' },
    ]);
    expect(e.stages.map((s) => s.kind)).toEqual(['line_filter', 'line_filter', 'line_filter', 'line_filter', 'json', 'logfmt', 'label_filter', 'line_format']);
    const lf = e.stages[6]!;
    expect(lf.kind === 'label_filter' && lf.predicate.kind).toBe('or');
  });

  it('parses metric queries with grouping before or after, and topk', () => {
    const e = parseLogQL('sum by (level) (count_over_time({app="x"} |= "error" [5m]))') as MetricExpr;
    expect(e).toMatchObject({ type: 'agg', op: 'sum', grouping: { without: false, labels: ['level'] }, inner: { type: 'range', fn: 'count_over_time', rangeMs: 300_000 } });
    const t = parseLogQL('topk(3, sum(rate({app="x"}[1m])) without (pod))') as MetricExpr;
    expect(t).toMatchObject({ type: 'agg', op: 'topk', param: 3, inner: { op: 'sum', grouping: { without: true, labels: ['pod'] } } });
    expect(parseLogQL('bytes_rate({a="b"}[1h30m])')).toMatchObject({ fn: 'bytes_rate', rangeMs: 5_400_000 });
  });

  it('reports errors with line and column', () => {
    expect(parseError('{app="x"').message).toMatch(/line 1, col 9: .*expected "," or "}"/);
    expect(parseError('{app="x"} |= error').message).toMatch(/col 14: .*line filter \|= expects a string/);
    expect(parseError('{app=x}').message).toMatch(/col 6: .*label value must be a quoted string/);
    expect(parseError('sum(count_over_time({a="b"}))').message).toMatch(/expected "\["/);
    expect(parseError('count_over_time({a="b"}[5x])').message).toMatch(/col 25/);
    expect(parseError('{a=~"("}').message).toMatch(/invalid regex/);
    expect(parseError('quantile_over_time(0.5, {a="b"}[5m])').message).toMatch(/unknown function "quantile_over_time"/);
    expect(parseError('{a="b"} | unpack').message).toMatch(/not supported/);
    expect(parseError('{a="b"} | drop ,').message).toMatch(/drop expects label names/);
    expect(parseError('{a="b"}\n | x >').details).toMatchObject({ field: 'query', line: 2 });
  });
});

describe('line_format templates', () => {
  it('renders fields, functions, pipes and conditionals, never code', () => {
    const t = compileTemplate('{{.method | ToUpper}} {{ .path }} {{if .err}}ERR {{.err}}{{else}}ok{{end}} {{ default "-" .user }} {{__line__ | len}}');
    expect(t.render({ method: 'get', path: '/a' }, 'abc', 0)).toBe('GET /a ok - 3');
    expect(t.render({ method: 'get', path: '/a', err: 'boom', user: 'u' }, 'abcd', 0)).toBe('GET /a ERR boom u 4');
    expect(() => compileTemplate('{{ .a | exec "rm" }}')).toThrow(/function "exec" not defined/);
    expect(() => compileTemplate('{{ .a ')).toThrow(/unclosed/);
    expect(() => compileTemplate('{{if .a}}x')).toThrow(/missing \{\{end\}\}/);
  });
});

const MS = 1_000_000n;
const T0 = 1_700_000_000_000; // ms

describe('LogQL engine over the SQLite store', () => {
  let store: LogStore;
  beforeAll(async () => {
    store = new SqliteLogStore({ path: ':memory:' });
    const line = (i: number, level: string, status: number) => JSON.stringify({ level, status, method: i % 2 ? 'GET' : 'POST', req: { path: `/p${i % 3}` } });
    const api = [];
    const web = [];
    for (let i = 0; i < 60; i++) {
      const level = i % 10 === 0 ? 'error' : 'info';
      api.push({ ts: BigInt(T0 + i * 10_000) * MS, line: line(i, level, level === 'error' ? 500 : 200) });
      web.push({ ts: BigInt(T0 + i * 10_000 + 1) * MS, line: `level=${i % 20 === 0 ? 'error' : 'info'} msg="served page ${i}" duration=${i * 10}ms` });
    }
    await store.append([
      { labels: { app: 'api', level: 'x' }, entries: api },
      { labels: { app: 'web' }, entries: web },
    ]);
  });
  afterAll(() => store.close());

  const range = { start: BigInt(T0) * MS, end: BigInt(T0 + 600_000) * MS };

  it('returns streams newest first with the limit, split by parsed labels', async () => {
    const r = await evalLogQuery(store, parseLogQL('{app="api"} | json | status >= 500') as LogSelectorExpr, { ...range, limit: 3, direction: 'backward' });
    const values = r.flatMap((s) => s.values);
    expect(values).toHaveLength(3);
    expect(values.map((v) => BigInt(v[0]))).toEqual([BigInt(T0 + 500_000) * MS, BigInt(T0 + 400_000) * MS, BigInt(T0 + 300_000) * MS]);
    // level collides with the stream label: the parsed one becomes level_extracted.
    expect(r[0]!.stream).toMatchObject({ app: 'api', level: 'x', level_extracted: 'error', status: '500', req_path: expect.stringMatching(/^\/p\d$/) });
  });

  it('applies logfmt, duration filters, regex line filters and line_format', async () => {
    const r = await evalLogQuery(store, parseLogQL('{app="web"} |~ "page [0-9]+$|page 5" | logfmt | duration > 500ms | line_format "{{.level}}: {{.msg}}"') as LogSelectorExpr, { ...range, limit: 100, direction: 'forward' });
    const lines = r.flatMap((s) => s.values.map((v) => v[1]));
    expect(lines[0]).toBe('info: served page 51');
    expect(lines).toHaveLength(9);
  });

  it('drops and keeps labels, including the log volume query Grafana sends', async () => {
    const r = await evalLogQuery(store, parseLogQL('{app="web"} | logfmt | drop duration, level="info" | keep app, msg, level') as LogSelectorExpr, { ...range, limit: 2, direction: 'forward' });
    expect(r.map((s) => s.stream)).toEqual([{ app: 'web', msg: 'served page 0', level: 'error' }, { app: 'web', msg: 'served page 1' }]);
    const vol = await evalMetricQuery(store, parseLogQL('sum by (app) (count_over_time({app=~".+"} | drop __error__ [1m]))') as MetricExpr, { startMs: T0 + 60_000, endMs: T0 + 60_000, stepMs: 60_000 });
    expect(vol.map((s) => s.points[0]![1])).toEqual([6, 6]);
  });

  it('marks conversion failures with __error__ like Loki', async () => {
    const r = await evalLogQuery(store, parseLogQL('{app="web"} | logfmt | msg > 5') as LogSelectorExpr, { ...range, limit: 1, direction: 'forward' });
    expect(r[0]!.stream.__error__).toBe('LabelFilterErr');
  });

  it('computes count_over_time, rate, bytes_over_time and sum by', async () => {
    const q = (s: string, step = 60_000) => evalMetricQuery(store, parseLogQL(s) as MetricExpr, { startMs: T0 + 60_000, endMs: T0 + 300_000, stepMs: step });
    const c = await q('sum by (app) (count_over_time({app=~"api|web"}[1m]))');
    expect(c.map((s) => s.metric).sort((a, b) => a.app!.localeCompare(b.app!))).toEqual([{ app: 'api' }, { app: 'web' }]);
    // Window (t-1m, t]: 6 lines of each app.
    for (const s of c) expect(s.points.map((p) => p[1])).toEqual([6, 6, 6, 6, 6]);
    const errs = await q('sum by (level_extracted) (count_over_time({app="api"} |= "error" | json [5m]))');
    expect(errs).toEqual([{ metric: { level_extracted: 'error' }, points: [[T0 + 60_000, 1], [T0 + 120_000, 2], [T0 + 180_000, 2], [T0 + 240_000, 3], [T0 + 300_000, 3]] }]);
    const rate = await q('rate({app="web"} |= "error" [2m])');
    expect(rate[0]!.points[0]).toEqual([T0 + 60_000, 1 / 120]);
    // The web line of i=6 is at T0+60.001s: only the window ending at T0+120s holds it.
    const bytes = await q('bytes_over_time({app="web"} |= "page 6\\""[1m])');
    expect(bytes[0]!.points).toEqual([[T0 + 120_000, Buffer.byteLength('level=info msg="served page 6" duration=60ms')]]);
    const br = await q('bytes_rate({app="web"} |= "page 6\\""[1m])');
    expect(br[0]!.points[0]![1]).toBeCloseTo(Buffer.byteLength('level=info msg="served page 6" duration=60ms') / 60);
    const top = await q('topk(1, sum by (method) (count_over_time({app="api"} | json [1m])))', 60_000);
    expect(top.every((s) => s.points.every((p) => p[1] === 3))).toBe(true);
    const avg = await q('avg(count_over_time({app=~".+"}[1m]))');
    expect(avg[0]!.points[0]![1]).toBe(6);
  });

  it('gives the same answer from store-side buckets as from reading every line', async () => {
    for (const [fn, rng, step] of [['count_over_time', '90s', 20_000], ['bytes_over_time', '1m', 45_000], ['rate', '5m', 60_000]] as const) {
      const opts = { startMs: T0 - 30_000, endMs: T0 + 650_000, stepMs: step };
      // `|~ ".*"` cannot be pushed down, so the second query reads lines; the first counts in SQL.
      const pushed = await evalMetricQuery(store, parseLogQL(`sum by (app) (${fn}({app=~".+"} |= "e" [${rng}]))`) as MetricExpr, opts);
      const read = await evalMetricQuery(store, parseLogQL(`sum by (app) (${fn}({app=~".+"} |= "e" |~ ".*" [${rng}]))`) as MetricExpr, opts);
      const norm = (r: typeof pushed) => [...r].sort((a, b) => a.metric.app!.localeCompare(b.metric.app!));
      expect(norm(pushed), fn).toEqual(norm(read));
      expect(pushed.length).toBe(2);
    }
  });

  it('refuses empty selectors and queries over the limits', async () => {
    await expect(evalLogQuery(store, parseLogQL('{app=~".*"}') as LogSelectorExpr, { ...range, limit: 10, direction: 'forward' })).rejects.toThrow(/at least one label matcher/);
    await expect(evalMetricQuery(store, parseLogQL('count_over_time({app="x"}[5m])') as MetricExpr, { startMs: 0, endMs: 10 * 365 * 86_400_000, stepMs: 3_600_000 })).rejects.toMatchObject({ code: 'LOGQL_LIMIT' });
    await expect(evalMetricQuery(store, parseLogQL('count_over_time({app="x"}[5m])') as MetricExpr, { startMs: 0, endMs: 86_400_000, stepMs: 1000 })).rejects.toThrow(/maximum resolution/);
    await expect(evalLogQuery(store, parseLogQL('{app="api"}') as LogSelectorExpr, { ...range, limit: 100_000, direction: 'forward' })).rejects.toThrow(/max entries/);
    const tight = { ...DEFAULT_LOGQL_LIMITS, timeoutMs: -1 };
    await expect(evalLogQuery(store, parseLogQL('{app="api"}') as LogSelectorExpr, { ...range, limit: 10, direction: 'forward' }, tight)).rejects.toMatchObject({ code: 'LOGQL_TIMEOUT', status: 503 });
    await expect(evalLogQuery(store, parseLogQL('{app="api"}') as LogSelectorExpr, { ...range, limit: 10, direction: 'forward' }, { ...DEFAULT_LOGQL_LIMITS, maxScanned: 5 })).rejects.toThrow(/read more than 5 lines/);
  });
});

describe('concurrent queries on one SQLite connection', () => {
  it('interleave with each other and with writes without "connection is busy" errors', async () => {
    const store = new SqliteLogStore({ path: ':memory:' });
    const entries = Array.from({ length: 3000 }, (_, i) => ({ ts: BigInt(T0 + i) * MS, line: `line ${i}` }));
    await store.append([{ labels: { app: 'c' }, entries }]);
    // A selective regex makes each query pull several pages, suspending between them.
    const q = (dir: 'forward' | 'backward') => evalLogQuery(store, parseLogQL('{app="c"} |~ "9$"') as LogSelectorExpr, { start: BigInt(T0) * MS, end: BigInt(T0 + 3000) * MS, limit: 250, direction: dir });
    // Writes on the same connection (events) start while both queries are suspended mid-read.
    const [a, b, , c] = await Promise.all([q('forward'), q('backward'), store.appendEvents([{ time: T0, labels: {}, message: 'deploy' }]), evalMetricQuery(store, parseLogQL('count_over_time({app="c"}[1s])') as MetricExpr, { startMs: T0 + 1000, endMs: T0 + 3000, stepMs: 1000 })]);
    expect(a[0]!.values).toHaveLength(250);
    expect(a[0]!.values[0]![1]).toBe('line 9');
    expect(a[0]!.values[249]![1]).toBe('line 2499');
    expect(b[0]!.values[0]![1]).toBe('line 2999');
    expect(b[0]!.values[249]![1]).toBe('line 509');
    // Windows (t-1s, t]: lines are at T0+0 … T0+2999 ms.
    expect(c[0]!.points).toEqual([[T0 + 1000, 1000], [T0 + 2000, 1000], [T0 + 3000, 999]]);
    await store.close();
  });
});
