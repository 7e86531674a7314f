// Evaluation values and label helpers shared by the engine, functions, aggregations and binary ops.
import type { Labels } from './storage.js';

export interface Sample {
  metric: Labels;
  f: number;
  /** sample time when it differs from the evaluation time (selectors), ms. */
  t?: number;
}
export type Vector = Sample[];

/** A series of raw points (range vector content), stale markers removed. */
export interface RangeSeries {
  metric: Labels;
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
}

export class PromQLError extends Error {
  /** Prometheus API errorType: bad_data (4xx), execution (422), timeout (503), canceled. */
  constructor(
    readonly errorType: 'bad_data' | 'execution' | 'timeout' | 'canceled',
    message: string,
  ) {
    super(message);
    this.name = 'PromQLError';
  }
}

export const METRIC_NAME = '__name__';

/** Stable identity of a label set (labels sorted by name). */
const keyCache = new WeakMap<Labels, string>();
// Label objects are treated as immutable once built, so their key can be cached.
export function labelsKey(l: Labels): string {
  let k = keyCache.get(l);
  if (k !== undefined) return k;
  k = '';
  for (const n of Object.keys(l).sort()) k += `${n}\xff${l[n]}\xfe`;
  keyCache.set(l, k);
  return k;
}

/** Returns a copy with keys sorted by name and empty values removed (Prometheus never stores those). */
export function normLabels(l: Labels): Labels {
  const out: Labels = {};
  for (const n of Object.keys(l).sort()) if (l[n] !== '' && l[n] !== undefined) out[n] = l[n]!;
  return out;
}

export function dropName(l: Labels): Labels {
  if (!(METRIC_NAME in l)) return l;
  const out: Labels = {};
  for (const n in l) if (n !== METRIC_NAME) out[n] = l[n]!;
  return out;
}

/** Prometheus labels.Compare: pairwise by name then value, shorter first. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    if (an[i] !== bn[i]) return an[i]! < bn[i]! ? -1 : 1;
    const av = a[an[i]!]!;
    const bv = b[bn[i]!]!;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return an.length - bn.length;
}

export function labelsString(l: Labels): string {
  const n = Object.keys(l).sort();
  return `{${n.map((k) => `${k}=${JSON.stringify(l[k])}`).join(', ')}}`;
}

/** Go strconv.FormatFloat(v, 'f', -1, 64) as the Prometheus API prints sample values. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  if (!s.includes('e')) return s;
  const neg = v < 0;
  const [mant, expS] = (neg ? s.slice(1) : s).split('e') as [string, string];
  const exp = Number(expS);
  const [ip, fp = ''] = mant.split('.') as [string, string?];
  const digits = ip + fp;
  const point = ip.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? '-' : '') + out;
}

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export function isValidLabelName(n: string): boolean {
  return LABEL_NAME_RE.test(n);
}

/** Neumaier-compensated summation step, as Prometheus' kahanSumInc. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** Prometheus' quantile over a float slice (sorts in place). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  // Go's sort.Float64s puts NaN first
  values.sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b));
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}
