import { describe, expect, it } from 'vitest';
import {
  MemoryQueryable, ParseError, PromQLError, STALE_NAN, createEngine, formatValue, parse, print,
  type Matcher, type Queryable, type SeriesData,
} from '../src/index.js';

function store(): MemoryQueryable {
  const m = new MemoryQueryable();
  for (let i = 0; i <= 40; i++) {
    for (const inst of ['a', 'b', 'c']) m.add({ __name__: 'req_total', instance: inst }, i * 15_000, i * (inst.charCodeAt(0) - 96));
  }
  return m;
}

describe('engine', () => {
  const engine = createEngine();

  it('fetches once per selector per query, with hints', async () => {
    const m = store();
    await engine.rangeQuery(m, 'sum(rate(req_total[1m])) / sum(rate(req_total[1m] offset 1m)) + max_over_time(req_total[2m:15s])', 300_000, 600_000, 60_000);
    expect(m.selects).toHaveLength(3);
    expect(m.selects[0]).toMatchObject({ startMs: 240_000, endMs: 600_000, hints: { stepMs: 60_000, rangeMs: 60_000, func: 'rate' } });
    expect(m.selects[1]).toMatchObject({ startMs: 180_000, endMs: 540_000 });
    // subquery: the inner selector needs lookback before the first inner step, at the subquery's step
    expect(m.selects[2]!.startMs).toBe(300_000 - 120_000 - 300_000);
    expect(m.selects[2]!.hints?.stepMs).toBe(15_000);
  });

  it('returns the Prometheus API shapes', async () => {
    const m = store();
    const v = await engine.instantQuery(m, 'req_total{instance="b"}', 600_000);
    expect(v.data).toEqual({ resultType: 'vector', result: [{ metric: { __name__: 'req_total', instance: 'b' }, value: [600, '80'] }] });
    const s = await engine.instantQuery(m, '1 / 0', 1_500);
    expect(s.data).toEqual({ resultType: 'scalar', result: [1.5, '+Inf'] });
    const str = await engine.instantQuery(m, '"hello"', 1_000);
    expect(str.data).toEqual({ resultType: 'string', result: [1, 'hello'] });
    const mat = await engine.instantQuery(m, 'req_total{instance="a"}[30s]', 600_000);
    expect(mat.data).toEqual({ resultType: 'matrix', result: [{ metric: { __name__: 'req_total', instance: 'a' }, values: [[570, '38'], [585, '39'], [600, '40']] }] });
    const r = await engine.rangeQuery(m, 'vector(1)', 0, 120_000, 60_000);
    expect(r.data).toEqual({ resultType: 'matrix', result: [{ metric: {}, values: [[0, '1'], [60, '1'], [120, '1']] }] });
  });

  it('rejects a range query of a range vector and bad steps', async () => {
    const m = store();
    await expect(engine.rangeQuery(m, 'req_total[5m]', 0, 1000, 1000)).rejects.toThrow('invalid expression type "range vector" for range query, must be Scalar or instant Vector');
    await expect(engine.rangeQuery(m, 'req_total', 0, 1000, 0)).rejects.toThrow(/zero or negative query resolution step/);
    await expect(engine.rangeQuery(m, 'req_total', 0, 100_000_000, 1000)).rejects.toThrow(/11,000 points/);
    await expect(engine.rangeQuery(m, 'req_total', 2000, 1000, 1000)).rejects.toThrow(/end timestamp must not be before start time/);
  });

  it('enforces series, sample and time limits with clear errors', async () => {
    const m = store();
    const series = engine.instantQuery(m, 'req_total', 600_000, { maxSeries: 2 });
    await expect(series).rejects.toThrow(/too many series/);
    await expect(series).rejects.toBeInstanceOf(PromQLError);
    await expect(engine.instantQuery(m, 'rate(req_total[10m])', 600_000, { maxSamples: 50 })).rejects.toThrow('query processing would load too many samples into memory in query execution');
    await expect(engine.instantQuery(m, 'rate(req_total[10m])', 600_000, { maxSamples: 500 })).resolves.toBeDefined();
    const slow: Queryable = {
      ...m,
      select: (ms: Matcher[], a: number, b: number) => new Promise<SeriesData[]>((res) => setTimeout(() => res(m.select(ms, a, b)), 50)),
      labelNames: () => Promise.resolve([]),
      labelValues: () => Promise.resolve([]),
      series: () => Promise.resolve([]),
    };
    const t = engine.instantQuery(slow, 'req_total', 600_000, { timeoutMs: 10 });
    await expect(t).rejects.toThrow('query timed out in query execution');
    await expect(t).rejects.toMatchObject({ errorType: 'timeout' });
  });

  it('refuses a subquery with an absurd number of steps', async () => {
    await expect(engine.instantQuery(store(), 'max_over_time(req_total[10y:1s])', 600_000)).rejects.toThrow(/subquery would evaluate \d+ steps/);
  });

  it('times out a store that never answers and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const hanging: Queryable = {
      select: (_m, _a, _b, hints) => {
        signal = hints?.signal;
        return new Promise<SeriesData[]>(() => undefined);
      },
      labelNames: () => Promise.resolve([]),
      labelValues: () => Promise.resolve([]),
      series: () => Promise.resolve([]),
    };
    await expect(engine.instantQuery(hanging, 'up', 0, { timeoutMs: 30 })).rejects.toThrow('query timed out in query execution');
    expect(signal?.aborted).toBe(true);
  });

  it('honours lookbackDeltaMs', async () => {
    const m = store();
    const far = await engine.instantQuery(m, 'req_total', 600_000 + 120_000, { lookbackDeltaMs: 60_000 });
    expect(far.data.result).toEqual([]);
  });

  it('keeps stale markers through the memory store', async () => {
    const m = new MemoryQueryable();
    m.add({ __name__: 'g' }, 0, 1);
    m.add({ __name__: 'g' }, 15_000, STALE_NAN);
    expect((await engine.instantQuery(m, 'g', 10_000)).data.result).toHaveLength(1);
    expect((await engine.instantQuery(m, 'g', 20_000)).data.result).toHaveLength(0);
  });
});

describe('parser', () => {
  it('builds a typed AST', () => {
    const e = parse('sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1m))');
    expect(e).toMatchObject({
      type: 'AggregateExpr', op: 'sum', grouping: ['job'], without: false,
      expr: { type: 'Call', func: 'rate', args: [{ type: 'MatrixSelector', rangeMs: 300_000, vector: { name: 'http_requests_total', offsetMs: 60_000, matchers: [{ name: '__name__', type: '=', value: 'http_requests_total' }, { name: 'code', type: '=~', value: '5..' }] } }] },
    });
    expect(parse('a * on(x) group_left(y) b')).toMatchObject({ type: 'BinaryExpr', op: '*', matching: { card: 'many-to-one', on: true, labels: ['x'], include: ['y'] } });
    expect(parse('x @ start()')).toMatchObject({ type: 'VectorSelector', at: { kind: 'start' } });
    expect(parse('-2 ^ 2')).toMatchObject({ type: 'UnaryExpr', op: '-', expr: { type: 'BinaryExpr', op: '^' } });
    expect(parse('0x1F + 1e3 + Inf')).toMatchObject({ type: 'BinaryExpr' });
  });

  it('words errors as Prometheus 2.42 does', () => {
    const cases: [string, string][] = [
      ['sum(x', '1:6: parse error: unclosed left parenthesis'],
      ['x +', '1:4: parse error: unexpected end of input'],
      ['foo(x)', '1:1: parse error: unknown function with name "foo"'],
      ['x y', '1:3: parse error: unexpected identifier "y"'],
      ['x)', "1:3: parse error: unexpected right parenthesis ')'"],
      ['rate(x)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
      ['1 > 2', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
      ['x $ y', "1:3: parse error: unexpected character: '$'"],
      ['x[5m][1m:]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
      ['x\n  + on(a) group_left(a) y', '2:3: parse error: label "a" must not occur in ON and GROUP clause at once'],
    ];
    for (const [q, msg] of cases) {
      expect(() => parse(q), q).toThrow(msg);
    }
    expect(() => parse('x +')).toThrow(ParseError);
  });

  it('prints an AST back to PromQL that parses to the same AST', () => {
    for (const q of [
      'sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1m))',
      'a * on (x) group_left (y) b',
      'x > bool 3',
      'max_over_time(x[1h:5m] @ 1700000000.000)',
      'topk(3, x{a!="b"})',
      'label_replace(x, "a", "$1", "b", "(.*)")',
      '-x',
      'a + b offset 5m * 2',
      '-2 ^ 2',
      '(a + b) * c',
      'a - (b - c)',
      '(a + b)[5m:1m]',
      '2 ^ 3 ^ 2',
    ]) {
      const ast = parse(q);
      // parentheses are syntax only: compare without ParenExpr nodes and positions
      const strip = (e: unknown): unknown => {
        if (Array.isArray(e)) return e.map(strip);
        if (!e || typeof e !== 'object') return e;
        const o = e as Record<string, unknown>;
        if (o.type === 'ParenExpr') return strip(o.expr);
        return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'pos' && k !== 'opPos').map(([k, v]) => [k, strip(v)]));
      };
      expect(strip(parse(print(ast))), q).toEqual(strip(ast));
    }
  });
});

describe('printer', () => {
  it('adds the parentheses a hand-built AST needs', () => {
    const sum = parse('a + b');
    const mul = parse('x * c');
    if (mul.type !== 'BinaryExpr') throw new Error('expected a binary expression');
    expect(print({ ...mul, lhs: sum })).toBe('(a + b) * c');
    expect(print({ type: 'UnaryExpr', op: '-', expr: sum, pos: sum.pos })).toBe('-(a + b)');
    expect(print({ type: 'SubqueryExpr', expr: sum, rangeMs: 300_000, stepMs: 60_000, offsetMs: 0, pos: sum.pos })).toBe('(a + b)[5m:1m]');
  });
});

describe('formatValue', () => {
  it('prints like Go strconv.FormatFloat(v, f, -1, 64)', () => {
    expect(formatValue(1e21)).toBe('1000000000000000000000');
    expect(formatValue(1.5e-7)).toBe('0.00000015');
    expect(formatValue(-2.5e-10)).toBe('-0.00000000025');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(0.1 + 0.2)).toBe('0.30000000000000004');
  });
});
