// The PromQL evaluator. Like Prometheus' engine it evaluates every node over all steps of the
// query at once (an instant query is a range query with one step), so each selector is fetched
// from the Queryable exactly once per query, before evaluation starts.
import { aggregate } from './aggregations.js';
import { scalarBinop, vectorBinop, vectorScalarBinop } from './binary.js';
import { FUNCTIONS, absentLabels, type ArgValue, type RangeWindow } from './functions.js';
import { exprType, type AtModifier, type Call, type Expr, type SubqueryExpr, type VectorSelector } from './parser/ast.js';
import { parse } from './parser/parse.js';
import {
  isStaleNaN, type Labels, type PromQLEngine, type PromValue, type Queryable, type QueryLimits, type QueryResult,
  type SelectHints, type SeriesData,
} from './storage.js';
import {
  PromQLError, compareLabels, dropName, formatValue, labelsKey, normLabels, type RangeSeries, type Vector,
} from './value.js';

export interface EngineOptions {
  /** step of subqueries written without one (Prometheus' global evaluation_interval), default 1m. */
  defaultEvaluationIntervalMs?: number;
  /** limits applied when a query passes none. */
  defaultLimits?: QueryLimits;
}

const DEFAULT_LOOKBACK_MS = 5 * 60_000;
const MAX_POINTS = 11_000;
const NO_PARAMS: number[] = [];
const MAX_SUBQUERY_STEPS = 1_000_000;

type Value =
  | { kind: 'vector'; steps: Vector[] }
  | { kind: 'scalar'; steps: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'matrix'; series: RangeSeries[]; rangeMs: number; offsetMs: number; atMs?: number };

interface Fetched {
  series: { metric: Labels; ts: ArrayLike<number>; vs: ArrayLike<number> }[];
}

/** first index with a[i] >= x */
function lowerBound(a: ArrayLike<number>, x: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** first index with a[i] > x */
function upperBound(a: ArrayLike<number>, x: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A slice that keeps NaN payloads (stale markers) intact: typed arrays are viewed, never copied through an Array. */
function sub(a: ArrayLike<number>, lo: number, hi: number): ArrayLike<number> {
  if (a instanceof Float64Array) return a.subarray(lo, hi);
  const out = new Float64Array(hi - lo);
  for (let i = lo; i < hi; i++) out[i - lo] = a[i]!;
  return out;
}

function checkDuplicates(v: Vector): void {
  if (v.length < 2) return;
  const seen = new Set<string>();
  for (const s of v) {
    const k = labelsKey(s.metric);
    if (seen.has(k)) throw new PromQLError('execution', 'vector cannot contain metrics with the same labelset');
    seen.add(k);
  }
}

class Evaluation {
  private readonly fetched = new Map<VectorSelector, Fetched>();
  private readonly lookback: number;
  private readonly deadline: number;
  private samples = 0;
  private seriesCount = 0;
  private ticks = 0;

  constructor(
    private readonly q: Queryable,
    private readonly startMs: number,
    private readonly endMs: number,
    private readonly stepMs: number,
    private readonly limits: QueryLimits,
    private readonly defaultIntervalMs: number,
  ) {
    this.lookback = limits.lookbackDeltaMs ?? DEFAULT_LOOKBACK_MS;
    this.deadline = limits.timeoutMs !== undefined ? Date.now() + limits.timeoutMs : Infinity;
  }

  private atMs(at: AtModifier | undefined): number | undefined {
    if (!at) return undefined;
    if (at.kind === 'start') return this.startMs;
    if (at.kind === 'end') return this.endMs;
    return at.timeMs;
  }

  private tick(): void {
    if ((++this.ticks & 1023) === 0 && Date.now() > this.deadline) this.timeout();
  }

  private timeout(): never {
    throw new PromQLError('timeout', 'query timed out in query execution');
  }

  // ---- preparation: one select per selector ---------------------------------------------------

  private readonly abort = new AbortController();

  async prepare(e: Expr): Promise<void> {
    const jobs: Promise<void>[] = [];
    this.plan(e, this.startMs, this.endMs, undefined, jobs, this.stepMs);
    const all = Promise.all(jobs);
    if (this.deadline === Infinity) {
      try {
        await all;
      } catch (err) {
        this.abort.abort(err);
        throw err;
      }
      return;
    }
    // a store that never answers must not hold the query past its timeout
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PromQLError('timeout', 'query timed out in query execution')), Math.max(0, this.deadline - Date.now()));
    });
    try {
      await Promise.race([all, expired]);
    } catch (err) {
      this.abort.abort(err);
      all.catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() > this.deadline) this.timeout();
  }

  /** `stepMs` is the resolution the selector is evaluated at (a subquery's own step inside it). */
  private plan(e: Expr, minT: number, maxT: number, func: string | undefined, jobs: Promise<void>[], stepMs: number): void {
    const hints = (extra: SelectHints): SelectHints => ({ ...extra, ...(func ? { func } : {}), ...(stepMs > 0 ? { stepMs } : {}) });
    switch (e.type) {
      case 'VectorSelector': {
        const [lo, hi] = this.refRange(e.offsetMs, e.at, minT, maxT);
        jobs.push(this.fetch(e, lo - this.lookback, hi, hints({})));
        return;
      }
      case 'MatrixSelector': {
        const [lo, hi] = this.refRange(e.vector.offsetMs, e.vector.at, minT, maxT);
        jobs.push(this.fetch(e.vector, lo - e.rangeMs, hi, hints({ rangeMs: e.rangeMs })));
        return;
      }
      case 'SubqueryExpr': {
        const [lo, hi] = this.refRange(e.offsetMs, e.at, minT, maxT);
        this.plan(e.expr, lo - e.rangeMs, hi, undefined, jobs, e.stepMs || this.defaultIntervalMs);
        return;
      }
      case 'Call':
        for (const a of e.args) this.plan(a, minT, maxT, e.func, jobs, stepMs);
        return;
      case 'AggregateExpr':
        if (e.param) this.plan(e.param, minT, maxT, undefined, jobs, stepMs);
        this.plan(e.expr, minT, maxT, undefined, jobs, stepMs);
        return;
      case 'BinaryExpr':
        this.plan(e.lhs, minT, maxT, undefined, jobs, stepMs);
        this.plan(e.rhs, minT, maxT, undefined, jobs, stepMs);
        return;
      case 'UnaryExpr':
      case 'ParenExpr':
        this.plan(e.expr, minT, maxT, func, jobs, stepMs);
        return;
      default:
        return;
    }
  }

  private refRange(offsetMs: number, at: AtModifier | undefined, minT: number, maxT: number): [number, number] {
    const a = this.atMs(at);
    if (a !== undefined) return [a - offsetMs, a - offsetMs];
    return [minT - offsetMs, maxT - offsetMs];
  }

  private async fetch(sel: VectorSelector, from: number, to: number, hints: SelectHints): Promise<void> {
    hints.signal = this.abort.signal;
    const data: SeriesData[] = await this.q.select(sel.matchers, from, to, hints);
    this.seriesCount += data.length;
    if (this.limits.maxSeries !== undefined && this.seriesCount > this.limits.maxSeries) {
      throw new PromQLError('execution', `query would select too many series: more than ${this.limits.maxSeries} (limit maxSeries)`);
    }
    const series: Fetched['series'] = [];
    for (const d of data) {
      // keep only [from, to]: a store may return a little more (rollup or block granularity)
      const lo = lowerBound(d.timestamps, from);
      const hi = upperBound(d.timestamps, to);
      if (hi <= lo) continue;
      this.addSamples(hi - lo);
      const ts = lo === 0 && hi === d.timestamps.length ? d.timestamps : sub(d.timestamps, lo, hi);
      const vs = lo === 0 && hi === d.values.length ? d.values : sub(d.values, lo, hi);
      series.push({ metric: normLabels(d.labels), ts, vs });
    }
    series.sort((a, b) => compareLabels(a.metric, b.metric));
    this.fetched.set(sel, { series });
  }

  private addSamples(n: number): void {
    this.samples += n;
    if (this.limits.maxSamples !== undefined && this.samples > this.limits.maxSamples) {
      throw new PromQLError('execution', 'query processing would load too many samples into memory in query execution');
    }
  }

  // ---- evaluation ----------------------------------------------------------------------------

  evaluate(e: Expr, steps: number[]): Value {
    switch (e.type) {
      case 'NumberLiteral':
        return { kind: 'scalar', steps: steps.map(() => e.value) };
      case 'StringLiteral':
        return { kind: 'string', value: e.value };
      case 'ParenExpr':
        return this.evaluate(e.expr, steps);
      case 'UnaryExpr': {
        const v = this.evaluate(e.expr, steps);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', steps: v.steps.map((x) => -x) };
        if (v.kind !== 'vector') throw new PromQLError('execution', 'unary minus on a non-numeric value');
        return {
          kind: 'vector',
          steps: v.steps.map((vec) => {
            const out = vec.map((s) => ({ metric: dropName(s.metric), f: -s.f }));
            checkDuplicates(out);
            return out;
          }),
        };
      }
      case 'VectorSelector':
        return { kind: 'vector', steps: this.selectInstant(e, steps) };
      case 'MatrixSelector': {
        const f = this.fetched.get(e.vector)!;
        const series: RangeSeries[] = [];
        for (const s of f.series) {
          const ts: number[] = [];
          const vs: number[] = [];
          for (let i = 0; i < s.ts.length; i++) {
            // stale markers never appear in range vectors
            if (isStaleNaN(s.vs[i]!)) continue;
            ts.push(s.ts[i]!);
            vs.push(s.vs[i]!);
          }
          series.push({ metric: s.metric, ts, vs });
        }
        const atMs = this.atMs(e.vector.at);
        return { kind: 'matrix', series, rangeMs: e.rangeMs, offsetMs: e.vector.offsetMs, ...(atMs !== undefined ? { atMs } : {}) };
      }
      case 'SubqueryExpr':
        return this.subquery(e, steps);
      case 'Call':
        return this.call(e, steps);
      case 'AggregateExpr': {
        const v = this.evaluate(e.expr, steps) as Extract<Value, { kind: 'vector' }>;
        const p = e.param ? this.evaluate(e.param, steps) : undefined;
        return {
          kind: 'vector',
          steps: v.steps.map((vec, i) => {
            this.tick();
            const param = p === undefined ? undefined : p.kind === 'string' ? p.value : (p as { steps: number[] }).steps[i];
            return aggregate(e, vec, param);
          }),
        };
      }
      case 'BinaryExpr': {
        const l = this.evaluate(e.lhs, steps);
        const r = this.evaluate(e.rhs, steps);
        if (l.kind === 'scalar' && r.kind === 'scalar') {
          return { kind: 'scalar', steps: l.steps.map((x, i) => scalarBinop(e, x, r.steps[i]!)) };
        }
        const out: Vector[] = [];
        for (let i = 0; i < steps.length; i++) {
          this.tick();
          let res: Vector;
          if (l.kind === 'vector' && r.kind === 'vector') res = vectorBinop(e, l.steps[i]!, r.steps[i]!);
          else if (l.kind === 'vector' && r.kind === 'scalar') res = vectorScalarBinop(e, l.steps[i]!, r.steps[i]!, false);
          else if (l.kind === 'scalar' && r.kind === 'vector') res = vectorScalarBinop(e, r.steps[i]!, l.steps[i]!, true);
          else throw new PromQLError('execution', 'binary expression must contain only scalar and instant vector types');
          checkDuplicates(res);
          out.push(res);
        }
        return { kind: 'vector', steps: out };
      }
    }
  }

  private selectInstant(e: VectorSelector, steps: number[]): Vector[] {
    const f = this.fetched.get(e)!;
    const at = this.atMs(e.at);
    const out: Vector[] = steps.map(() => []);
    for (const s of f.series) {
      for (let i = 0; i < steps.length; i++) {
        this.tick();
        const ref = (at ?? steps[i]!) - e.offsetMs;
        const idx = upperBound(s.ts, ref) - 1;
        if (idx < 0) continue;
        const t = s.ts[idx]!;
        if (t < ref - this.lookback) continue;
        const v = s.vs[idx]!;
        if (isStaleNaN(v)) continue;
        out[i]!.push({ metric: s.metric, f: v, t });
      }
    }
    return out;
  }

  /** Evaluates the inner expression at its own aligned steps and returns it as a range vector. */
  private subquery(e: SubqueryExpr, steps: number[]): Value {
    const step = e.stepMs || this.defaultIntervalMs;
    const at = this.atMs(e.at);
    const refs = at !== undefined ? [at - e.offsetMs] : steps.map((t) => t - e.offsetMs);
    // steps ascend, so do refs (no spread: a nested subquery may have a million of them)
    const lo = refs[0]! - e.rangeMs;
    const hi = refs[refs.length - 1]!;
    let start = Math.floor(lo / step) * step;
    if (start < lo) start += step;
    const count = Math.floor((hi - start) / step) + 1;
    // a guard before allocating: e.g. x[10y:1s] would otherwise exhaust memory before any limit applies
    if (count > MAX_SUBQUERY_STEPS) {
      throw new PromQLError('execution', `subquery would evaluate ${count} steps (limit ${MAX_SUBQUERY_STEPS}); use a larger subquery resolution`);
    }
    const inner: number[] = [];
    for (let t = start; t <= hi; t += step) inner.push(t);
    const v = this.evaluate(e.expr, inner);
    const byKey = new Map<string, { metric: Labels; ts: number[]; vs: number[] }>();
    if (v.kind === 'vector') {
      v.steps.forEach((vec, i) => {
        for (const s of vec) {
          const k = labelsKey(s.metric);
          let ser = byKey.get(k);
          if (!ser) byKey.set(k, (ser = { metric: s.metric, ts: [], vs: [] }));
          ser.ts.push(inner[i]!);
          ser.vs.push(s.f);
        }
      });
      this.addSamples([...byKey.values()].reduce((n, s) => n + s.ts.length, 0));
    }
    const series = [...byKey.values()].sort((a, b) => compareLabels(a.metric, b.metric));
    return { kind: 'matrix', series, rangeMs: e.rangeMs, offsetMs: e.offsetMs, ...(at !== undefined ? { atMs: at } : {}) };
  }

  private call(e: Call, steps: number[]): Value {
    if (e.func === 'time') return { kind: 'scalar', steps: steps.map((t) => t / 1000) };
    if (e.func === 'pi') return { kind: 'scalar', steps: steps.map(() => Math.PI) };
    if (e.func === 'scalar') {
      const v = this.evaluate(e.args[0]!, steps) as Extract<Value, { kind: 'vector' }>;
      return { kind: 'scalar', steps: v.steps.map((vec) => (vec.length === 1 ? vec[0]!.f : NaN)) };
    }
    const def = FUNCTIONS.get(e.func);
    if (!def) throw new PromQLError('bad_data', `function "${e.func}" is not supported`);
    const args = e.args.map((a) => this.evaluate(a, steps));
    if (def.kind === 'range' || def.kind === 'absent_over_time') {
      const mi = def.kind === 'range' ? def.matrixArg : 0;
      const m = args[mi] as Extract<Value, { kind: 'matrix' }>;
      const out: Vector[] = [];
      // output labels are fixed per series: compute them (and whether two can collide) once
      const metrics = m.series.map((s) => (def.kind === 'range' && def.keepName ? s.metric : dropName(s.metric)));
      const mayCollide = new Set(metrics.map(labelsKey)).size !== metrics.length;
      const w: RangeWindow = { ts: [], vs: [], lo: 0, hi: 0, rangeStart: 0, rangeEnd: 0, rangeMs: m.rangeMs, evalTs: 0 };
      for (let i = 0; i < steps.length; i++) {
        const ts = steps[i]!;
        let ref = (m.atMs ?? ts) - m.offsetMs;
        let evalTs = m.atMs !== undefined ? this.startMs : ts;
        if (m.atMs !== undefined && e.func === 'predict_linear') {
          // Prometheus 2.x treats predict_linear as unsafe under @: the call is evaluated per step
          // with the selector's window shifted by (step - start) over the data fetched for @.
          ref += ts - this.startMs;
          evalTs = ts;
        }
        const rangeStart = ref - m.rangeMs;
        if (def.kind === 'absent_over_time') {
          const any = m.series.some((s) => upperBound(s.ts, ref) > lowerBound(s.ts, rangeStart));
          out.push(any ? [] : [{ metric: absentLabels(e.args[0]!), f: 1 }]);
          continue;
        }
        const params = args.length > 1 ? args.filter((_, j) => j !== mi).map((a) => (a as { steps: number[] }).steps[i]!) : NO_PARAMS;
        const vec: Vector = [];
        w.rangeStart = rangeStart;
        w.rangeEnd = ref;
        w.evalTs = evalTs;
        for (let k = 0; k < m.series.length; k++) {
          this.tick();
          const s = m.series[k]!;
          const lo = lowerBound(s.ts, rangeStart);
          const hi = upperBound(s.ts, ref, lo);
          if (hi <= lo) continue;
          w.ts = s.ts;
          w.vs = s.vs;
          w.lo = lo;
          w.hi = hi;
          const f = def.fn(w, params);
          if (f === undefined) continue;
          vec.push({ metric: metrics[k]!, f });
        }
        if (mayCollide) checkDuplicates(vec);
        out.push(vec);
      }
      return { kind: 'vector', steps: out };
    }
    const out: Vector[] = [];
    for (let i = 0; i < steps.length; i++) {
      this.tick();
      const stepArgs: ArgValue[] = args.map((a) => (a.kind === 'string' ? a.value : a.kind === 'matrix' ? [] : a.steps[i]!));
      const vec = def.fn(stepArgs, { ts: steps[i]!, call: e });
      checkDuplicates(vec);
      out.push(vec);
    }
    return { kind: 'vector', steps: out };
  }

  /** Range-vector result of an instant query (`x[5m]`, `expr[1h:1m]`). */
  matrixAt(v: Extract<Value, { kind: 'matrix' }>, t: number): QueryResult {
    const ref = (v.atMs ?? t) - v.offsetMs;
    const result: { metric: Labels; values: PromValue[] }[] = [];
    for (const s of v.series) {
      const lo = lowerBound(s.ts, ref - v.rangeMs);
      const hi = upperBound(s.ts, ref, lo);
      if (hi <= lo) continue;
      const values: PromValue[] = [];
      for (let i = lo; i < hi; i++) values.push([s.ts[i]! / 1000, formatValue(s.vs[i]!)]);
      result.push({ metric: s.metric, values });
    }
    return { resultType: 'matrix', result };
  }
}

// Dashboards repeat the same expressions; the AST is never mutated by evaluation, so it is shared.
const PARSE_CACHE_SIZE = 512;
const parseCache = new Map<string, Expr>();

function parseQuery(expr: string): Expr {
  const hit = parseCache.get(expr);
  if (hit) return hit;
  const ast = parse(expr);
  if (parseCache.size >= PARSE_CACHE_SIZE) parseCache.delete(parseCache.keys().next().value!);
  parseCache.set(expr, ast);
  return ast;
}

export function createEngine(opts: EngineOptions = {}): PromQLEngine {
  const interval = opts.defaultEvaluationIntervalMs ?? 60_000;
  const withDefaults = (l?: QueryLimits): QueryLimits => ({ ...opts.defaultLimits, ...l });
  return {
    async instantQuery(q, text, timeMs, limits) {
      const expr = parseQuery(text);
      const ev = new Evaluation(q, timeMs, timeMs, 0, withDefaults(limits), interval);
      await ev.prepare(expr);
      const v = ev.evaluate(expr, [timeMs]);
      const t = timeMs / 1000;
      let data: QueryResult;
      switch (v.kind) {
        case 'scalar': data = { resultType: 'scalar', result: [t, formatValue(v.steps[0]!)] }; break;
        case 'string': data = { resultType: 'string', result: [t, v.value] }; break;
        case 'vector':
          data = { resultType: 'vector', result: v.steps[0]!.map((s) => ({ metric: s.metric, value: [t, formatValue(s.f)] as PromValue })) };
          break;
        case 'matrix': data = ev.matrixAt(v, timeMs); break;
      }
      return { data, warnings: [] };
    },
    async rangeQuery(q, text, startMs, endMs, stepMs, limits) {
      if (!(stepMs > 0)) throw new PromQLError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
      if (endMs < startMs) throw new PromQLError('bad_data', 'end timestamp must not be before start time');
      if ((endMs - startMs) / stepMs > MAX_POINTS) {
        throw new PromQLError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
      }
      const expr = parseQuery(text);
      const t = exprType(expr);
      if (t !== 'scalar' && t !== 'vector') {
        throw new PromQLError('bad_data', `invalid expression type "${t === 'matrix' ? 'range vector' : t}" for range query, must be Scalar or instant Vector`);
      }
      const lim = withDefaults(limits);
      const ev = new Evaluation(q, startMs, endMs, stepMs, lim, interval);
      await ev.prepare(expr);
      const steps: number[] = [];
      for (let s = startMs; s <= endMs; s += stepMs) steps.push(s);
      const v = ev.evaluate(expr, steps);
      const result: { metric: Labels; values: PromValue[] }[] = [];
      if (v.kind === 'scalar') {
        result.push({ metric: {}, values: v.steps.map((f, i) => [steps[i]! / 1000, formatValue(f)] as PromValue) });
      } else if (v.kind === 'vector') {
        const byKey = new Map<string, { metric: Labels; values: PromValue[] }>();
        v.steps.forEach((vec, i) => {
          for (const s of vec) {
            const k = labelsKey(s.metric);
            let ser = byKey.get(k);
            if (!ser) byKey.set(k, (ser = { metric: s.metric, values: [] }));
            ser.values.push([steps[i]! / 1000, formatValue(s.f)]);
          }
        });
        result.push(...[...byKey.values()].sort((a, b) => compareLabels(a.metric, b.metric)));
      }
      const points = result.reduce((n, s) => n + s.values.length, 0);
      if (lim.maxSamples !== undefined && points > lim.maxSamples) {
        throw new PromQLError('execution', 'query processing would load too many samples into memory in query execution');
      }
      return { data: { resultType: 'matrix', result }, warnings: [] };
    },
  };
}
