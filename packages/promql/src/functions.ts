// The PromQL function registry: one map from name to implementation, as Prometheus' FunctionCalls.
// Range functions see one series' window at one step; instant functions see one step's arguments.
import type { Call, Expr } from './parser/ast.js';
import { compileRegex } from './parser/parse.js';
import type { Labels } from './storage.js';
import {
  METRIC_NAME, PromQLError, dropName, formatValue, isValidLabelName, kahanSumInc, normLabels, quantile,
  type Sample, type Vector,
} from './value.js';

/** One series' samples inside a range window [lo, hi) at one evaluation step. */
export interface RangeWindow {
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  lo: number;
  hi: number;
  /** window bounds in ms (after offset / @). */
  rangeStart: number;
  rangeEnd: number;
  rangeMs: number;
  /** evaluation time of the step, ms (Prometheus' enh.Ts). */
  evalTs: number;
}

export type ArgValue = Vector | number | string;

export interface CallContext {
  /** evaluation time, ms */
  ts: number;
  call: Call;
}

export type FunctionDef =
  | {
      kind: 'range';
      /** index of the range-vector argument; the others are scalars passed as `params`. */
      matrixArg: number;
      fn: (w: RangeWindow, params: number[]) => number | undefined;
      keepName?: boolean;
    }
  | { kind: 'absent_over_time' }
  | { kind: 'instant'; fn: (args: ArgValue[], ctx: CallContext) => Vector };

// ---- range functions -------------------------------------------------------------------------

/** Prometheus' extrapolatedRate (rate, increase, delta). */
function extrapolatedRate(w: RangeWindow, isCounter: boolean, isRate: boolean): number | undefined {
  const n = w.hi - w.lo;
  if (n < 2) return undefined;
  const { ts, vs, lo, hi } = w;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  let result = vs[hi - 1]! - vs[lo]!;
  if (isCounter) {
    let last = 0;
    for (let i = lo; i < hi; i++) {
      const v = vs[i]!;
      if (v < last) result += last;
      last = v;
    }
  }
  let durationToStart = (firstT - w.rangeStart) / 1000;
  const durationToEnd = (w.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avgBetween = sampledInterval / (n - 1);
  if (isCounter && result > 0 && vs[lo]! >= 0) {
    // a counter cannot go below zero: do not extrapolate past the point where it would be 0
    const durationToZero = sampledInterval * (vs[lo]! / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = avgBetween * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : avgBetween / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : avgBetween / 2;
  // one factor, divided by the range for rate, as Prometheus (since 2.40) computes it: the
  // operation order decides the last bit
  let factor = extrapolateTo / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

function instantValue(w: RangeWindow, isRate: boolean): number | undefined {
  if (w.hi - w.lo < 2) return undefined;
  const lastT = w.ts[w.hi - 1]!;
  const prevT = w.ts[w.hi - 2]!;
  const last = w.vs[w.hi - 1]!;
  const prev = w.vs[w.hi - 2]!;
  let result = isRate && last < prev ? last : last - prev;
  const interval = lastT - prevT;
  if (interval === 0) return undefined;
  if (isRate) result /= interval / 1000;
  return result;
}

/** Least squares fit, x in seconds relative to interceptTime (Prometheus' linearRegression). */
function linearRegression(w: RangeWindow, interceptTime: number): [number, number] {
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = w.vs[w.lo]!;
  let constY = true;
  for (let i = w.lo; i < w.hi; i++) {
    const y = w.vs[i]!;
    if (constY && i > w.lo && y !== initY) constY = false;
    n += 1;
    const x = (w.ts[i]! - interceptTime) / 1e3;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(y, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

function over(fn: (vs: ArrayLike<number>, lo: number, hi: number) => number, keepName = false): FunctionDef {
  return { kind: 'range', matrixArg: 0, keepName, fn: (w) => (w.hi > w.lo ? fn(w.vs, w.lo, w.hi) : undefined) };
}

function avgOverTime(vs: ArrayLike<number>, lo: number, hi: number): number {
  let mean = 0, c = 0, count = 0;
  for (let i = lo; i < hi; i++) {
    const v = vs[i]!;
    count++;
    if (mean === Infinity || mean === -Infinity) {
      if ((v === Infinity || v === -Infinity) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    [mean, c] = kahanSumInc(v / count - mean / count, mean, c);
  }
  if (mean === Infinity || mean === -Infinity) return mean;
  return mean + c;
}

function stdvarOverTime(vs: ArrayLike<number>, lo: number, hi: number): number {
  let count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let i = lo; i < hi; i++) {
    const v = vs[i]!;
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** Go's %f: six decimals. */
function goF(v: number): string {
  return Number.isFinite(v) ? v.toFixed(6) : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

/** Prometheus 2.x holt_winters (double exponential smoothing). */
function holtWinters(w: RangeWindow, p: number[]): number | undefined {
  const [sf, tf] = p as [number, number];
  if (!(sf > 0 && sf < 1)) throw new PromQLError('execution', `invalid smoothing factor. Expected: 0 < sf < 1, got: ${goF(sf)}`);
  if (!(tf > 0 && tf < 1)) throw new PromQLError('execution', `invalid trend factor. Expected: 0 < tf < 1, got: ${goF(tf)}`);
  if (w.hi - w.lo < 2) return undefined;
  let s0 = 0;
  let s1 = w.vs[w.lo]!;
  let b = w.vs[w.lo + 1]! - w.vs[w.lo]!;
  for (let i = 1; i < w.hi - w.lo; i++) {
    const x = sf * w.vs[w.lo + i]!;
    if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

// ---- instant helpers -------------------------------------------------------------------------

function simple(f: (v: number) => number): FunctionDef {
  return { kind: 'instant', fn: (args) => (args[0] as Vector).map((s) => ({ metric: dropName(s.metric), f: f(s.f) })) };
}

function goPow(x: number, y: number): number {
  // Go's math.Pow special cases that differ from JS' **
  if (y === 0) return 1;
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}
export { goPow };

function dateFn(f: (d: Date) => number): FunctionDef {
  return {
    kind: 'instant',
    fn: (args, ctx) => {
      const v: Vector = args.length === 0 ? [{ metric: {}, f: ctx.ts / 1000 }] : (args[0] as Vector);
      return v.map((s) => ({ metric: dropName(s.metric), f: Number.isFinite(s.f) ? f(new Date(Math.trunc(s.f) * 1000)) : NaN }));
    },
  };
}

/** Go regexp.Expand: $1, ${1}, $name, ${name}, $$; a name is the longest run of word characters. */
export function expandTemplate(tpl: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < tpl.length; i++) {
    const c = tpl[i]!;
    if (c !== '$' || i + 1 >= tpl.length) { out += c; continue; }
    const n = tpl[i + 1]!;
    if (n === '$') { out += '$'; i++; continue; }
    let name: string;
    if (n === '{') {
      const close = tpl.indexOf('}', i + 2);
      const inner = close < 0 ? '' : tpl.slice(i + 2, close);
      if (close < 0 || !/^\w+$/.test(inner)) { out += c; continue; }
      name = inner;
      i = close;
    } else {
      const mm = /^\w+/.exec(tpl.slice(i + 1));
      if (!mm) { out += c; continue; }
      name = mm[0];
      i += name.length;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out;
}

function labelReplace(args: ArgValue[]): Vector {
  const [v, dst, repl, src, re] = args as [Vector, string, string, string, string];
  let rx: RegExp;
  try {
    rx = compileRegex(re);
  } catch (e) {
    throw new PromQLError('execution', `invalid regular expression in label_replace(): ${re}: ${(e as Error).message}`);
  }
  if (!isValidLabelName(dst)) throw new PromQLError('execution', `invalid destination label name in label_replace(): ${dst}`);
  return v.map((s) => {
    const m = rx.exec(s.metric[src] ?? '');
    if (!m) return s;
    const res = expandTemplate(repl, m);
    const l: Labels = { ...s.metric };
    if (res === '') delete l[dst];
    else l[dst] = res;
    return { metric: normLabels(l), f: s.f };
  });
}

function labelJoin(args: ArgValue[]): Vector {
  const [v, dst, sep, ...srcs] = args as [Vector, string, string, ...string[]];
  if (!isValidLabelName(dst)) throw new PromQLError('execution', `invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs) if (!isValidLabelName(s)) throw new PromQLError('execution', `invalid source label name in label_join(): ${s}`);
  return v.map((s) => {
    const val = srcs.map((n) => s.metric[n] ?? '').join(sep);
    const l: Labels = { ...s.metric };
    if (val === '') delete l[dst];
    else l[dst] = val;
    return { metric: normLabels(l), f: s.f };
  });
}

/** Labels absent() reports: the selector's equality matchers (Prometheus' createLabelsForAbsentFunction). */
export function absentLabels(e: Expr): Labels {
  while (e.type === 'ParenExpr') e = e.expr;
  const sel = e.type === 'VectorSelector' ? e : e.type === 'MatrixSelector' ? e.vector : undefined;
  if (!sel) return {};
  const out: Labels = {};
  const drop = new Set<string>();
  for (const m of sel.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !(m.name in out)) out[m.name] = m.value;
    else drop.add(m.name);
  }
  for (const d of drop) delete out[d];
  return normLabels(out);
}

interface Bucket { upper: number; count: number }

/** Prometheus' bucketQuantile over classic `le` buckets. */
export function bucketQuantile(q: number, buckets: Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  buckets.sort((a, b) => a.upper - b.upper);
  if (buckets.length === 0 || buckets[buckets.length - 1]!.upper !== Infinity) return NaN;
  // merge buckets with the same bound
  const merged: Bucket[] = [];
  for (const b of buckets) {
    const last = merged[merged.length - 1];
    if (last && last.upper === b.upper) last.count += b.count;
    else merged.push({ ...b });
  }
  let max = -Infinity;
  for (const b of merged) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (merged.length < 2) return NaN;
  const observations = merged[merged.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < merged.length - 1 && !(merged[b]!.count >= rank)) b++;
  if (b === merged.length - 1) return merged[merged.length - 2]!.upper;
  if (b === 0 && merged[0]!.upper <= 0) return merged[0]!.upper;
  let start = 0;
  const end = merged[b]!.upper;
  let count = merged[b]!.count;
  if (b > 0) {
    start = merged[b - 1]!.upper;
    count -= merged[b - 1]!.count;
    rank -= merged[b - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}

function histogramQuantile(args: ArgValue[]): Vector {
  const q = args[0] as number;
  const v = args[1] as Vector;
  const groups = new Map<string, { metric: Labels; buckets: Bucket[] }>();
  for (const s of v) {
    const le = s.metric.le;
    if (le === undefined) continue;
    const upper = parseGoFloat(le);
    if (upper === undefined) continue;
    const metric: Labels = {};
    for (const n in s.metric) if (n !== 'le' && n !== METRIC_NAME) metric[n] = s.metric[n]!;
    const key = Object.keys(metric).sort().map((n) => `${n}\xff${metric[n]}`).join('\xfe');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { metric, buckets: [] }));
    g.buckets.push({ upper, count: s.f });
  }
  return [...groups.values()].map((g) => ({ metric: g.metric, f: bucketQuantile(q, g.buckets) }));
}

function parseGoFloat(s: string): number | undefined {
  const l = s.trim().toLowerCase();
  if (/^[+]?inf(inity)?$/.test(l)) return Infinity;
  if (/^-inf(inity)?$/.test(l)) return -Infinity;
  if (l === 'nan') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(l)) return undefined;
  return Number(l);
}

function sortBy(desc: boolean): FunctionDef {
  return {
    kind: 'instant',
    fn: (args) => {
      const v = [...(args[0] as Vector)];
      // NaN sorts last in both directions
      v.sort((a, b) => {
        if (Number.isNaN(a.f)) return Number.isNaN(b.f) ? 0 : 1;
        if (Number.isNaN(b.f)) return -1;
        return desc ? b.f - a.f : a.f - b.f;
      });
      return v;
    },
  };
}

const daysIn = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map<string, FunctionDef>([
  ['rate', { kind: 'range', matrixArg: 0, fn: (w) => extrapolatedRate(w, true, true) }],
  ['increase', { kind: 'range', matrixArg: 0, fn: (w) => extrapolatedRate(w, true, false) }],
  ['delta', { kind: 'range', matrixArg: 0, fn: (w) => extrapolatedRate(w, false, false) }],
  ['irate', { kind: 'range', matrixArg: 0, fn: (w) => instantValue(w, true) }],
  ['idelta', { kind: 'range', matrixArg: 0, fn: (w) => instantValue(w, false) }],
  ['deriv', { kind: 'range', matrixArg: 0, fn: (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w, w.ts[w.lo]!)[0]) }],
  ['predict_linear', {
    kind: 'range', matrixArg: 0,
    fn: (w, p) => {
      if (w.hi - w.lo < 2) return undefined;
      const [slope, intercept] = linearRegression(w, w.evalTs);
      return slope * p[0]! + intercept;
    },
  }],
  ['resets', over((vs, lo, hi) => {
    let n = 0;
    for (let i = lo + 1; i < hi; i++) if (vs[i]! < vs[i - 1]!) n++;
    return n;
  })],
  ['changes', over((vs, lo, hi) => {
    let n = 0;
    for (let i = lo + 1; i < hi; i++) {
      const a = vs[i]!;
      const b = vs[i - 1]!;
      if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) n++;
    }
    return n;
  })],
  ['avg_over_time', over(avgOverTime)],
  ['sum_over_time', over((vs, lo, hi) => {
    let s = 0, c = 0;
    for (let i = lo; i < hi; i++) [s, c] = kahanSumInc(vs[i]!, s, c);
    return Number.isFinite(s) ? s + c : s;
  })],
  ['count_over_time', over((_vs, lo, hi) => hi - lo)],
  ['min_over_time', over((vs, lo, hi) => {
    let m = vs[lo]!;
    for (let i = lo; i < hi; i++) if (vs[i]! < m || Number.isNaN(m)) m = vs[i]!;
    return m;
  })],
  ['max_over_time', over((vs, lo, hi) => {
    let m = vs[lo]!;
    for (let i = lo; i < hi; i++) if (vs[i]! > m || Number.isNaN(m)) m = vs[i]!;
    return m;
  })],
  ['last_over_time', over((vs, _lo, hi) => vs[hi - 1]!, true)],
  ['present_over_time', over(() => 1)],
  ['stdvar_over_time', over(stdvarOverTime)],
  ['stddev_over_time', over((vs, lo, hi) => Math.sqrt(stdvarOverTime(vs, lo, hi)))],
  ['quantile_over_time', {
    kind: 'range', matrixArg: 1,
    fn: (w, p) => {
      if (w.hi === w.lo) return undefined;
      const vals: number[] = [];
      for (let i = w.lo; i < w.hi; i++) vals.push(w.vs[i]!);
      return quantile(p[0]!, vals);
    },
  }],
  ['absent_over_time', { kind: 'absent_over_time' }],
  ['holt_winters', { kind: 'range', matrixArg: 0, fn: holtWinters }],

  ['abs', simple(Math.abs)],
  ['ceil', simple(Math.ceil)],
  ['floor', simple(Math.floor)],
  ['sqrt', simple(Math.sqrt)],
  ['exp', simple(Math.exp)],
  ['ln', simple(Math.log)],
  ['log2', simple(Math.log2)],
  ['log10', simple(Math.log10)],
  ['deg', simple((v) => (v * 180) / Math.PI)],
  ['rad', simple((v) => (v * Math.PI) / 180)],
  ['sin', simple(Math.sin)],
  ['cos', simple(Math.cos)],
  ['tan', simple(Math.tan)],
  ['asin', simple(Math.asin)],
  ['acos', simple(Math.acos)],
  ['atan', simple(Math.atan)],
  ['sinh', simple(Math.sinh)],
  ['cosh', simple(Math.cosh)],
  ['tanh', simple(Math.tanh)],
  ['asinh', simple(Math.asinh)],
  ['acosh', simple(Math.acosh)],
  ['atanh', simple(Math.atanh)],
  ['sgn', simple((v) => (v > 0 ? 1 : v < 0 ? -1 : v))],
  ['round', {
    kind: 'instant',
    fn: (args) => {
      const to = args.length > 1 ? (args[1] as number) : 1;
      const inv = 1 / to;
      return (args[0] as Vector).map((s) => ({ metric: dropName(s.metric), f: Math.floor(s.f * inv + 0.5) / inv }));
    },
  }],
  ['clamp', {
    kind: 'instant',
    fn: (args) => {
      const [v, min, max] = args as [Vector, number, number];
      if (max < min) return [];
      return v.map((s) => ({ metric: dropName(s.metric), f: goMax(min, goMin(max, s.f)) }));
    },
  }],
  ['clamp_min', { kind: 'instant', fn: (args) => (args[0] as Vector).map((s) => ({ metric: dropName(s.metric), f: goMax(args[1] as number, s.f) })) }],
  ['clamp_max', { kind: 'instant', fn: (args) => (args[0] as Vector).map((s) => ({ metric: dropName(s.metric), f: goMin(args[1] as number, s.f) })) }],
  ['absent', {
    kind: 'instant',
    fn: (args, ctx) => ((args[0] as Vector).length > 0 ? [] : [{ metric: absentLabels(ctx.call.args[0]!), f: 1 }]),
  }],
  ['scalar', { kind: 'instant', fn: () => [] }], // handled by the engine (scalar result)
  ['vector', { kind: 'instant', fn: (args) => [{ metric: {}, f: args[0] as number }] }],
  ['time', { kind: 'instant', fn: () => [] }], // handled by the engine (scalar result)
  ['timestamp', {
    kind: 'instant',
    fn: (args, ctx) => {
      // only a selector argument carries sample times; any other expression yields the evaluation time
      let a = ctx.call.args[0]!;
      while (a.type === 'ParenExpr') a = a.expr;
      const direct = a.type === 'VectorSelector';
      return (args[0] as Vector).map((s) => ({ metric: dropName(s.metric), f: ((direct ? s.t : undefined) ?? ctx.ts) / 1000 }));
    },
  }],
  ['sort', sortBy(false)],
  ['sort_desc', sortBy(true)],
  ['label_replace', { kind: 'instant', fn: labelReplace }],
  ['label_join', { kind: 'instant', fn: labelJoin }],
  ['histogram_quantile', { kind: 'instant', fn: histogramQuantile }],
  ['minute', dateFn((d) => d.getUTCMinutes())],
  ['hour', dateFn((d) => d.getUTCHours())],
  ['day_of_month', dateFn((d) => d.getUTCDate())],
  ['day_of_week', dateFn((d) => d.getUTCDay())],
  ['day_of_year', dateFn((d) => Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400e3) + 1)],
  ['days_in_month', dateFn(daysIn)],
  ['month', dateFn((d) => d.getUTCMonth() + 1)],
  ['year', dateFn((d) => d.getUTCFullYear())],
]);

/** Go math.Max / math.Min (NaN wins, +0 > -0). */
export function goMax(a: number, b: number): number {
  if (a === Infinity || b === Infinity) return Infinity;
  return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
}
export function goMin(a: number, b: number): number {
  if (a === -Infinity || b === -Infinity) return -Infinity;
  return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
}

export { formatValue };
export type { Sample };
