// @sreworks/telemetry: the one public entry.

// metrics
export type { MetricsStore, SeriesSamples, MetricMetadata, MetricType, AppendResult, RetentionPolicy, StoreStats, Resolution } from './metrics/types.js';
export { DEFAULT_RETENTION } from './metrics/types.js';
export { SqliteMetricsStore, type SqliteMetricsStoreOptions } from './metrics/sqlite/store.js';
export { ClickHouseMetricsStore, type ClickHouseMetricsStoreOptions } from './metrics/clickhouse/store.js';
export { openMetricsStore, type MetricsStoreConfig } from './metrics/open.js';
export { MetricsIngestor, type IngestorOptions, type IngestReport } from './metrics/ingest/ingestor.js';
export { decodeWriteRequest, encodeWriteRequest, snappyDecode, snappyEncode, type WriteRequest } from './metrics/ingest/remote-write.js';
export { decodeOtlpMetrics } from './metrics/ingest/otlp-proto.js';
export { OtlpMetricsTranslator, promMetricName, promLabelName } from './metrics/ingest/otlp.js';
export type { OtlpMetricsRequest } from './metrics/ingest/otlp-types.js';
export { parseExposition, type Exposition, type ParsedSample } from './metrics/ingest/exposition.js';
export { ScrapeManager, type ScrapeJob, type ScrapeResult } from './metrics/ingest/scrape.js';
export type { RelabelConfig } from './metrics/ingest/relabel.js';
export { metricsRoutes, otlpMetricsRoutes, type MetricsRoutesOptions, type OtlpMetricsRoutesOptions } from './metrics/routes.js';
export { telemetryPermissions } from './metrics/permissions.js';
export { catalogRoutes, type CatalogRoutesOptions } from './metrics/catalog/routes.js';
export { CatalogRepo, DATASOURCE_KINDS, METRIC_TYPES, type DataSource, type DataSourceKind, type MetricDef } from './metrics/catalog/repo.js';
export { telemetryMigrations } from './metrics/catalog/migrations.js';
export { loadScrapeJobs, validateScrapeConfig } from './metrics/catalog/scrape-config.js';
export { scopedQueryable, stampTenant, DEFAULT_TENANT_LABEL } from './metrics/tenant.js';
