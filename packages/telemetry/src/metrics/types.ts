// The metrics store contract: what ingestion writes and what the PromQL engine and the
// Prometheus API read. One implementation per engine (embedded SQLite, ClickHouse).
import type { Labels, Queryable } from '@sreworks/promql';

/**
 * One series with its samples, as every decoder produces them. Times are Unix ms. Values that
 * may hold Prometheus' stale marker must be a Float64Array: V8 canonicalises NaN payloads in
 * plain number arrays, which would turn a stale marker into an ordinary NaN.
 */
export interface SeriesSamples {
  labels: Labels;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** Collects one series' samples, keeping NaN payloads intact (see SeriesSamples). */
export class SeriesBuilder {
  readonly timestamps: number[] = [];
  private buf = new Float64Array(4);
  constructor(readonly labels: Labels) {}
  push(t: number, v: number): void {
    const n = this.timestamps.length;
    if (n === this.buf.length) {
      const nb = new Float64Array(n * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    this.buf[n] = v;
    this.timestamps.push(t);
  }
  get values(): Float64Array {
    return this.buf.subarray(0, this.timestamps.length);
  }
  finish(): SeriesSamples {
    return { labels: this.labels, timestamps: this.timestamps, values: this.values };
  }
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

export interface MetricMetadata {
  metric: string;
  type: MetricType;
  help: string;
  unit: string;
}

/** What a write did. Rejected samples were not stored; everything else was, durably. */
export interface AppendResult {
  accepted: number;
  /** same series and timestamp already stored with the same value: a retry, ignored. */
  duplicates: number;
  /** same series and timestamp already stored with another value: refused. */
  conflicts: number;
  /** older than the raw retention: refused. */
  tooOld: number;
  newSeries: number;
}

/** How long each data kind is kept, ms. */
export interface RetentionPolicy {
  rawMs: number;
  rollup1mMs: number;
  rollup1hMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  rawMs: 15 * 86_400_000,
  rollup1mMs: 90 * 86_400_000,
  rollup1hMs: 730 * 86_400_000,
};

export interface StoreStats {
  series: number;
  rawSamples: number;
  rollup1mRows: number;
  rollup1hRows: number;
}

/** Which table a select read from (exposed so tests and the bench can see the choice). */
export type Resolution = 'raw' | '1m' | '1h';

export interface MetricsStore extends Queryable {
  readonly kind: 'sqlite' | 'clickhouse';
  /**
   * Stores a batch. Resolves only once the batch is committed (durable): callers acknowledge
   * to clients after this resolves, never before.
   */
  append(batch: SeriesSamples[]): Promise<AppendResult>;
  appendMetadata(meta: MetricMetadata[]): Promise<void>;
  metadata(metric?: string, limit?: number): Promise<MetricMetadata[]>;
  /** Deletes data older than the policy (relative to nowMs). Returns rows removed. */
  applyRetention(nowMs?: number): Promise<number>;
  /** The resolution select() would read for these hints (raw when unsure). */
  resolutionFor(startMs: number, endMs: number, hints?: import('@sreworks/promql').SelectHints): Resolution;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
