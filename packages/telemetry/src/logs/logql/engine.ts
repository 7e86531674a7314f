import { InputError, PlatformError } from '@sreworks/kernel';
import { checkSelectorNotEmpty, labelsKey } from '../labels.js';
import type { Direction, Labels, LineFilter, LogStore } from '../types.js';
import type { Expr, LogSelectorExpr, MetricExpr, RangeAggExpr, VectorAggExpr } from './ast.js';
import { compilePipeline } from './pipeline.js';

export interface LogQLLimits {
  /** Most lines a log query may return (Loki's max_entries_limit_per_query). */
  maxEntries: number;
  /** Most lines a query may read from the store. */
  maxScanned: number;
  /** Most series a metric query may produce. */
  maxSeries: number;
  /** Most points per series (Prometheus's 11,000). */
  maxPoints: number;
  /** Longest time range a query may cover, ms (Loki's max_query_length, 721 h). */
  maxRangeMs: number;
  /** Wall-clock budget of one query, ms; checked between pages read from the store. */
  timeoutMs: number;
}

export const DEFAULT_LOGQL_LIMITS: LogQLLimits = {
  maxEntries: 5000,
  maxScanned: 5_000_000,
  maxSeries: 10_000,
  maxPoints: 11_000,
  maxRangeMs: 721 * 3_600_000,
  timeoutMs: 60_000,
};

function deadlineCheck(limits: LogQLLimits): () => void {
  const end = performance.now() + limits.timeoutMs;
  return () => {
    if (performance.now() > end) {
      throw new PlatformError('LOGQL_TIMEOUT', 503, `query timed out after ${limits.timeoutMs / 1000}s; narrow the selector or the time range`, { field: 'query' });
    }
  };
}

export interface StreamResult {
  stream: Labels;
  /** [ns timestamp as string, line], in the query's direction. */
  values: [string, string][];
}

export interface SeriesResult {
  metric: Labels;
  /** [ms timestamp, value]. */
  points: [number, number][];
}

function limitError(message: string, field = 'query'): InputError {
  return new InputError(message, { field }, 'LOGQL_LIMIT');
}

function checkRange(fromMs: number, toMs: number, limits: LogQLLimits): void {
  if (toMs < fromMs) throw new InputError('end must not be before start', { field: 'end' }, 'LOGQL_RANGE');
  if (toMs - fromMs > limits.maxRangeMs) {
    throw limitError(`the query time range exceeds the limit (${Math.round((toMs - fromMs) / 3_600_000)}h > ${Math.round(limits.maxRangeMs / 3_600_000)}h)`, 'start');
  }
}

const MS = 1_000_000n;

/** Run a log (streams) query: newest first for backward, oldest first for forward. */
export async function evalLogQuery(
  store: LogStore,
  expr: LogSelectorExpr,
  opts: { start: bigint; end: bigint; limit: number; direction: Direction },
  limits: LogQLLimits = DEFAULT_LOGQL_LIMITS,
): Promise<StreamResult[]> {
  checkSelectorNotEmpty(expr.matchers);
  checkRange(Number(opts.start / MS), Number(opts.end / MS), limits);
  if (opts.limit > limits.maxEntries) throw limitError(`max entries limit per query exceeded, limit > max_entries_limit (${opts.limit} > ${limits.maxEntries})`, 'limit');
  const pipe = compilePipeline(expr.stages);
  const out = new Map<string, StreamResult>();
  let taken = 0;
  let scanned = 0;
  const check = deadlineCheck(limits);
  if (opts.limit <= 0) return [];
  outer: for await (const batch of store.select({
    matchers: expr.matchers,
    from: opts.start,
    to: opts.end,
    filters: pipe.pushdown,
    direction: opts.direction,
    batchSize: Math.min(Math.max(opts.limit * 2, 256), 5000),
  })) {
    check();
    for (const row of batch.rows) {
      if (++scanned > limits.maxScanned) throw limitError(`the query read more than ${limits.maxScanned} lines; narrow the selector or the time range`);
      const base = batch.streams.get(row.streamId)!;
      const labels = row.metadata ? { ...base, ...row.metadata } : base;
      const r = pipe.run(labels, row.line, Number(row.ts / MS));
      if (!r) continue;
      const key = labelsKey(r.labels);
      let s = out.get(key);
      if (!s) out.set(key, (s = { stream: r.labels, values: [] }));
      s.values.push([row.ts.toString(), r.line]);
      if (++taken >= opts.limit) break outer;
    }
  }
  return [...out.values()];
}

interface Matrix {
  steps: number[];
  series: Map<string, { labels: Labels; values: Float64Array }>;
}

/** Evaluate a metric query at every step from start to end inclusive (ms). */
export async function evalMetricQuery(
  store: LogStore,
  expr: MetricExpr,
  opts: { startMs: number; endMs: number; stepMs: number },
  limits: LogQLLimits = DEFAULT_LOGQL_LIMITS,
): Promise<SeriesResult[]> {
  checkRange(opts.startMs, opts.endMs, limits);
  if (opts.stepMs <= 0) throw new InputError('step must be positive', { field: 'step' }, 'LOGQL_STEP');
  const n = Math.floor((opts.endMs - opts.startMs) / opts.stepMs) + 1;
  if (n > limits.maxPoints) {
    throw limitError(`exceeded maximum resolution of ${limits.maxPoints} points per time series; increase the step`, 'step');
  }
  const steps: number[] = [];
  for (let i = 0; i < n; i++) steps.push(opts.startMs + i * opts.stepMs);
  const m = await evalMatrix(store, expr, steps, limits);
  const out: SeriesResult[] = [];
  for (const s of m.series.values()) {
    const points: [number, number][] = [];
    for (let i = 0; i < steps.length; i++) if (!Number.isNaN(s.values[i]!)) points.push([steps[i]!, s.values[i]!]);
    if (points.length > 0) out.push({ metric: s.labels, points });
  }
  return out;
}

async function evalMatrix(store: LogStore, expr: MetricExpr, steps: number[], limits: LogQLLimits): Promise<Matrix> {
  if (expr.type === 'range') return evalRange(store, expr, steps, limits);
  return evalAgg(await evalMatrix(store, expr.inner, steps, limits), expr);
}

async function evalRange(store: LogStore, expr: RangeAggExpr, steps: number[], limits: LogQLLimits): Promise<Matrix> {
  checkSelectorNotEmpty(expr.log.matchers);
  const pipe = compilePipeline(expr.log.stages);
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  checkRange(first - expr.rangeMs, last, limits);
  // Windows are (t - range, t]: read (first - range, last] as [from, to) in ns.
  const from = BigInt(first - expr.rangeMs) * MS + 1n;
  const to = BigInt(last) * MS + 1n;
  const width = steps.length > 1 ? gcd(expr.rangeMs, steps[1]! - first) : expr.rangeMs;
  if (pipe.fullyPushed && Number.isInteger(expr.rangeMs) && width >= 1 && Number.isInteger(width)) {
    return evalRangeBuckets(store, expr, steps, from, to, width, pipe.pushdown, limits);
  }
  const perSeries = new Map<string, { labels: Labels; ts: number[]; bytes: number[] }>();
  const streamKeyCache = new Map<string, string>();
  const needBytes = expr.fn === 'bytes_over_time' || expr.fn === 'bytes_rate';
  let scanned = 0;
  const check = deadlineCheck(limits);
  for await (const batch of store.select({
    matchers: expr.log.matchers,
    from,
    to,
    filters: pipe.pushdown,
    direction: 'forward',
    withoutLine: pipe.fullyPushed,
  })) {
    check();
    for (const row of batch.rows) {
      if (++scanned > limits.maxScanned) throw limitError(`the query read more than ${limits.maxScanned} lines; narrow the selector or the time range`);
      // Nanoseconds relative to the read start: exact in a double for ranges up to 104 days.
      const rel = Number(row.ts - from);
      const tsMs = Number(row.ts / MS);
      let key: string;
      let labels: Labels;
      if (!row.metadata && (pipe.keepsLabels || pipe.fullyPushed)) {
        if (!pipe.fullyPushed && !pipe.run(batch.streams.get(row.streamId)!, row.line, tsMs)) continue;
        labels = batch.streams.get(row.streamId)!;
        key = streamKeyCache.get(row.streamId) ?? labelsKey(labels);
        streamKeyCache.set(row.streamId, key);
      } else {
        const base = batch.streams.get(row.streamId)!;
        const r = pipe.run(row.metadata ? { ...base, ...row.metadata } : base, row.line, tsMs);
        if (!r) continue;
        labels = r.labels;
        key = labelsKey(labels);
      }
      let s = perSeries.get(key);
      if (!s) {
        if (perSeries.size >= limits.maxSeries) throw limitError(`the query produced more than ${limits.maxSeries} series; aggregate with sum by (…) or narrow the selector`);
        perSeries.set(key, (s = { labels, ts: [], bytes: [] }));
      }
      s.ts.push(rel);
      if (needBytes) s.bytes.push(row.bytes);
    }
  }
  const series = new Map<string, { labels: Labels; values: Float64Array }>();
  const rangeS = expr.rangeMs / 1000;
  const rangeNs = expr.rangeMs * 1e6;
  const stepRel = steps.map((t) => Number(BigInt(t) * MS - from));
  for (const [key, s] of perSeries) {
    const values = new Float64Array(steps.length).fill(NaN);
    // Entries arrive in time order per batch window; sort once to be safe across windows.
    const order = s.ts.map((_, i) => i);
    if (!isSorted(s.ts)) order.sort((a, b) => s.ts[a]! - s.ts[b]!);
    let lo = 0;
    let hi = 0;
    let bytes = 0;
    for (let i = 0; i < steps.length; i++) {
      const t = stepRel[i]!;
      while (hi < order.length && s.ts[order[hi]!]! <= t) {
        if (needBytes) bytes += s.bytes[order[hi]!]!;
        hi++;
      }
      while (lo < hi && s.ts[order[lo]!]! <= t - rangeNs) {
        if (needBytes) bytes -= s.bytes[order[lo]!]!;
        lo++;
      }
      const count = hi - lo;
      if (count === 0) continue;
      switch (expr.fn) {
        case 'count_over_time':
          values[i] = count;
          break;
        case 'rate':
          values[i] = count / rangeS;
          break;
        case 'bytes_over_time':
          values[i] = bytes;
          break;
        case 'bytes_rate':
          values[i] = bytes / rangeS;
          break;
      }
    }
    series.set(key, { labels: s.labels, values });
  }
  return { steps, series };
}

function gcd(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return 0;
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The store counts lines per bucket of `width` ms (a divisor of both range and step); each step's
 * window (t - range, t] is then a run of whole buckets, summed here with prefix sums.
 */
async function evalRangeBuckets(
  store: LogStore,
  expr: RangeAggExpr,
  steps: number[],
  from: bigint,
  to: bigint,
  widthMs: number,
  filters: LineFilter[],
  limits: LogQLLimits,
): Promise<Matrix> {
  const needBytes = expr.fn === 'bytes_over_time' || expr.fn === 'bytes_rate';
  const { streams, rows } = await store.countBuckets({ matchers: expr.log.matchers, from, to, width: BigInt(widthMs) * MS, filters, withBytes: needBytes });
  const nBuckets = Math.ceil(Number(to - from) / 1e6 / widthMs) + 1;
  const perSeries = new Map<string, { labels: Labels; counts: Float64Array }>();
  let scanned = 0;
  for (const r of rows) {
    scanned += r.count;
    if (scanned > limits.maxScanned) throw limitError(`the query read more than ${limits.maxScanned} lines; narrow the selector or the time range`);
    const base = streams.get(r.streamId)!;
    const labels = r.metadata ? { ...base, ...r.metadata } : base;
    const key = labelsKey(labels);
    let s = perSeries.get(key);
    if (!s) {
      if (perSeries.size >= limits.maxSeries) throw limitError(`the query produced more than ${limits.maxSeries} series; aggregate with sum by (…) or narrow the selector`);
      perSeries.set(key, (s = { labels, counts: new Float64Array(nBuckets) }));
    }
    if (r.bucket >= 0 && r.bucket < nBuckets) s.counts[r.bucket]! += needBytes ? r.bytes : r.count;
  }
  const span = expr.rangeMs / widthMs;
  const rangeS = expr.rangeMs / 1000;
  const series = new Map<string, { labels: Labels; values: Float64Array }>();
  for (const [key, s] of perSeries) {
    const prefix = new Float64Array(nBuckets + 1);
    for (let b = 0; b < nBuckets; b++) prefix[b + 1] = prefix[b]! + s.counts[b]!;
    const values = new Float64Array(steps.length).fill(NaN);
    for (let i = 0; i < steps.length; i++) {
      const lo = Math.round((steps[i]! - steps[0]!) / widthMs);
      const hi = Math.min(lo + span, nBuckets);
      const v = prefix[hi]! - prefix[lo]!;
      if (v === 0) continue;
      values[i] = expr.fn === 'rate' || expr.fn === 'bytes_rate' ? v / rangeS : v;
    }
    series.set(key, { labels: s.labels, values });
  }
  return { steps, series };
}

function isSorted(a: number[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i]! < a[i - 1]!) return false;
  return true;
}

function groupLabels(labels: Labels, g: VectorAggExpr['grouping']): Labels {
  if (!g) return {};
  const out: Labels = {};
  if (g.without) {
    for (const [k, v] of Object.entries(labels)) if (!g.labels.includes(k)) out[k] = v;
  } else {
    for (const k of g.labels) if (labels[k] !== undefined && labels[k] !== '') out[k] = labels[k];
  }
  return out;
}

function evalAgg(m: Matrix, expr: VectorAggExpr): Matrix {
  const n = m.steps.length;
  type Member = { labels: Labels; values: Float64Array };
  const groups = new Map<string, { labels: Labels; members: Member[] }>();
  for (const s of m.series.values()) {
    const gl = groupLabels(s.labels, expr.grouping);
    const key = labelsKey(gl);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels: gl, members: [] }));
    g.members.push(s);
  }
  const series = new Map<string, { labels: Labels; values: Float64Array }>();
  if (expr.op === 'topk' || expr.op === 'bottomk') {
    const k = expr.param ?? 1;
    const keep = new Map<Member, Float64Array>();
    for (const g of groups.values()) {
      for (let i = 0; i < n; i++) {
        const present = g.members.filter((s) => !Number.isNaN(s.values[i]!));
        present.sort((a, b) => (expr.op === 'topk' ? b.values[i]! - a.values[i]! : a.values[i]! - b.values[i]!));
        for (const s of present.slice(0, k)) {
          let v = keep.get(s);
          if (!v) keep.set(s, (v = new Float64Array(n).fill(NaN)));
          v[i] = s.values[i]!;
        }
      }
    }
    for (const [s, values] of keep) series.set(labelsKey(s.labels), { labels: s.labels, values });
    return { steps: m.steps, series };
  }
  for (const [key, g] of groups) {
    const values = new Float64Array(n).fill(NaN);
    for (let i = 0; i < n; i++) {
      let acc = NaN;
      let cnt = 0;
      for (const mem of g.members) {
        const v = mem.values[i]!;
        if (Number.isNaN(v)) continue;
        cnt++;
        if (cnt === 1) acc = expr.op === 'count' ? 1 : v;
        else if (expr.op === 'sum' || expr.op === 'avg') acc += v;
        else if (expr.op === 'min') acc = Math.min(acc, v);
        else if (expr.op === 'max') acc = Math.max(acc, v);
        else if (expr.op === 'count') acc += 1;
      }
      if (cnt === 0) continue;
      values[i] = expr.op === 'avg' ? acc / cnt : acc;
    }
    series.set(key, { labels: g.labels, values });
  }
  return { steps: m.steps, series };
}

export function isMetricExpr(e: Expr): e is MetricExpr {
  return e.type !== 'log';
}
