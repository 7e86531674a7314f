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

// logs
export type * from './logs/types.js';
export { SqliteLogStore, type SqliteLogStoreOptions } from './logs/store/sqlite-store.js';
export { ClickHouseLogStore, type ClickHouseLogStoreOptions } from './logs/store/clickhouse-store.js';
export { createLogStore, type LogStoreConfig } from './logs/store/factory.js';
export { lokiRoutes } from './logs/routes/loki-routes.js';
export { otlpLogsRoutes } from './logs/routes/otlp-routes.js';
export { esBulkRoutes } from './logs/routes/es-bulk-routes.js';
export { eventRoutes } from './logs/routes/event-routes.js';
export { IngestLimiter, logsFor, type LogRoutesOptions } from './logs/routes/common.js';
export { scopedLogStore, stampEvents, stampStreams } from './logs/tenant.js';
export { parseLogQL, parseSelector, LogQLParseError } from './logs/logql/parser.js';
export type * from './logs/logql/ast.js';
export { evalLogQuery, evalMetricQuery, DEFAULT_LOGQL_LIMITS, type LogQLLimits, type StreamResult, type SeriesResult } from './logs/logql/engine.js';
export { decodeLokiPush, discoverServiceName, SERVICE_NAME_SOURCES } from './logs/ingest/loki-push.js';
export { decodeOtlpLogs, OTLP_INDEX_LABEL_ATTRIBUTES } from './logs/ingest/otlp-logs.js';
export { decodeEsBulk } from './logs/ingest/es-bulk.js';
export { decodeEvents } from './logs/ingest/events.js';
export { DEFAULT_INGEST_LIMITS, type IngestLimits } from './logs/ingest/body.js';
export { LOKI_PUSH_PROTO, OTLP_LOGS_PROTO } from './logs/ingest/protos.js';
