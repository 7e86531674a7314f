// The metrics store contract: what ingestion writes and what the PromQL engine and the
// Prometheus API read. One implementation per engine (embedded SQLite, ClickHouse).
import type { Labels, Queryable } from '@sreworks/promql';

/** One series with its samples, as every decoder produces them. Times are Unix ms. */
export interface SeriesSamples {
  labels: Labels;
  timestamps: number[];
  values: number[];
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
