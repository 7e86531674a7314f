// The contract between the PromQL engine and any telemetry store (embedded or ClickHouse).
// Times are Unix milliseconds. Values are float64; Prometheus' staleness marker is the NaN with
// bit pattern 0x7ff0000000000002 (see STALE_NAN) and must survive storage unchanged.

/** Label set including `__name__`. */
export type Labels = Record<string, string>;

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  type: MatchType;
  value: string;
}

export interface SeriesData {
  labels: Labels;
  /** ascending sample times, ms */
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface SelectHints {
  /** evaluation step of a range query, ms (lets a store pick a rollup). */
  stepMs?: number;
  /** range of the enclosing range-vector selector, ms. */
  rangeMs?: number;
  /** the function the selector feeds (e.g. "rate"), when known. */
  func?: string;
  /** aborted when the query fails or times out; a store may stop its work then (added, optional). */
  signal?: AbortSignal;
}

export interface Queryable {
  /** all series matching every matcher with their samples in [startMs, endMs]. */
  select(matchers: Matcher[], startMs: number, endMs: number, hints?: SelectHints): Promise<SeriesData[]>;
  labelNames(matchers: Matcher[], startMs: number, endMs: number): Promise<string[]>;
  labelValues(name: string, matchers: Matcher[], startMs: number, endMs: number): Promise<string[]>;
  /** label sets of matching series (for /api/v1/series). */
  series(matchers: Matcher[], startMs: number, endMs: number): Promise<Labels[]>;
}

export const STALE_NAN_BITS = 0x7ff0000000000002n;

export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  return buf.getBigUint64(0) === STALE_NAN_BITS;
}

export const STALE_NAN: number = (() => {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setBigUint64(0, STALE_NAN_BITS);
  return buf.getFloat64(0);
})();

// Results in the shape of the Prometheus HTTP API `data` field.
export type PromValue = [number /* seconds */, string];
export type QueryResult =
  | { resultType: 'vector'; result: { metric: Labels; value: PromValue }[] }
  | { resultType: 'matrix'; result: { metric: Labels; values: PromValue[] }[] }
  | { resultType: 'scalar'; result: PromValue }
  | { resultType: 'string'; result: PromValue };

export interface QueryLimits {
  maxSeries?: number;
  maxSamples?: number;
  timeoutMs?: number;
  /** default 5 minutes, as Prometheus. */
  lookbackDeltaMs?: number;
}

/** What the engine offers to the HTTP layer (implemented in engine.ts). */
export interface PromQLEngine {
  instantQuery(q: Queryable, expr: string, timeMs: number, limits?: QueryLimits): Promise<{ data: QueryResult; warnings: string[] }>;
  rangeQuery(q: Queryable, expr: string, startMs: number, endMs: number, stepMs: number, limits?: QueryLimits): Promise<{ data: QueryResult; warnings: string[] }>;
}
