// ClickHouse metrics schema, after SigNoz (samples_v4 / time_series_v4 keyed by a series
// fingerprint) and the OpenTelemetry ClickHouse exporter (LowCardinality names, Map labels,
// Delta/DoubleDelta/Gorilla codecs, daily partitions, TTL with whole-part drops). Rollups are
// AggregatingMergeTree tables filled by materialized views at insert time, as Uptrace does.
export interface ClickHouseRetentionDays {
  raw: number;
  rollup1m: number;
  rollup1h: number;
}

export function schemaStatements(db: string, days: ClickHouseRetentionDays): string[] {
  const q = (t: string) => `\`${db}\`.\`${t}\``;
  const rollup = (t: string) => `CREATE TABLE IF NOT EXISTS ${q(t)} (
    metric_name LowCardinality(String),
    fingerprint UInt64,
    bucket Int64 CODEC(DoubleDelta, ZSTD(1)),
    min SimpleAggregateFunction(min, Float64),
    max SimpleAggregateFunction(max, Float64),
    sum SimpleAggregateFunction(sum, Float64),
    cnt SimpleAggregateFunction(sum, UInt64),
    last AggregateFunction(argMax, Float64, Int64),
    last_ts SimpleAggregateFunction(max, Int64)
  ) ENGINE = AggregatingMergeTree
  PARTITION BY toYYYYMM(toDateTime(intDiv(bucket, 1000)))
  ORDER BY (metric_name, fingerprint, bucket)
  TTL toDateTime(intDiv(bucket, 1000)) + INTERVAL ${t.endsWith('1m') ? days.rollup1m : days.rollup1h} DAY
  SETTINGS ttl_only_drop_parts = 1`;
  const mv = (t: string, width: number) => `CREATE MATERIALIZED VIEW IF NOT EXISTS ${q(t + '_mv')} TO ${q(t)} AS
    SELECT metric_name, fingerprint, intDiv(unix_milli, ${width}) * ${width} AS bucket,
      min(value) AS min, max(value) AS max, sum(value) AS sum, count() AS cnt,
      argMaxState(value, unix_milli) AS last, max(unix_milli) AS last_ts
    FROM ${q('metrics_samples')} WHERE flags = 0 GROUP BY metric_name, fingerprint, bucket`;
  return [
    `CREATE DATABASE IF NOT EXISTS \`${db}\``,
    `CREATE TABLE IF NOT EXISTS ${q('metrics_time_series')} (
      metric_name LowCardinality(String),
      fingerprint UInt64 CODEC(Delta, ZSTD(1)),
      unix_milli Int64 CODEC(Delta, ZSTD(1)),
      labels Map(LowCardinality(String), String),
      labels_json String CODEC(ZSTD(5))
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toYYYYMM(toDateTime(intDiv(unix_milli, 1000)))
    ORDER BY (metric_name, fingerprint, unix_milli)
    TTL toDateTime(intDiv(unix_milli, 1000)) + INTERVAL ${days.rollup1h} DAY
    SETTINGS ttl_only_drop_parts = 1`,
    `CREATE TABLE IF NOT EXISTS ${q('metrics_samples')} (
      metric_name LowCardinality(String),
      fingerprint UInt64 CODEC(Delta, ZSTD(1)),
      unix_milli Int64 CODEC(DoubleDelta, ZSTD(1)),
      value Float64 CODEC(Gorilla, ZSTD(1)),
      flags UInt8
    ) ENGINE = MergeTree
    PARTITION BY toDate(toDateTime(intDiv(unix_milli, 1000)))
    ORDER BY (metric_name, fingerprint, unix_milli)
    TTL toDateTime(intDiv(unix_milli, 1000)) + INTERVAL ${days.raw} DAY
    SETTINGS ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000`,
    rollup('metrics_samples_1m'),
    rollup('metrics_samples_1h'),
    mv('metrics_samples_1m', 60_000),
    mv('metrics_samples_1h', 3_600_000),
    `CREATE TABLE IF NOT EXISTS ${q('metrics_metadata')} (
      metric_name String, type LowCardinality(String), help String, unit LowCardinality(String), updated_ms Int64
    ) ENGINE = ReplacingMergeTree(updated_ms) ORDER BY metric_name`,
  ];
}
