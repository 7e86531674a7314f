// logs
export type * from './logs/types.js';
export { SqliteLogStore, type SqliteLogStoreOptions } from './logs/store/sqlite-store.js';
export { ClickHouseLogStore, type ClickHouseLogStoreOptions } from './logs/store/clickhouse-store.js';
export { createLogStore, type LogStoreConfig } from './logs/store/factory.js';
export { lokiRoutes } from './logs/routes/loki-routes.js';
export { otlpLogsRoutes } from './logs/routes/otlp-routes.js';
export { esBulkRoutes } from './logs/routes/es-bulk-routes.js';
export { eventRoutes } from './logs/routes/event-routes.js';
export { IngestLimiter, type LogRoutesOptions } from './logs/routes/common.js';
export { parseLogQL, parseSelector, LogQLParseError } from './logs/logql/parser.js';
export type * from './logs/logql/ast.js';
export { evalLogQuery, evalMetricQuery, DEFAULT_LOGQL_LIMITS, type LogQLLimits, type StreamResult, type SeriesResult } from './logs/logql/engine.js';
export { decodeLokiPush, discoverServiceName, SERVICE_NAME_SOURCES } from './logs/ingest/loki-push.js';
export { decodeOtlpLogs, OTLP_INDEX_LABEL_ATTRIBUTES } from './logs/ingest/otlp-logs.js';
export { decodeEsBulk } from './logs/ingest/es-bulk.js';
export { decodeEvents } from './logs/ingest/events.js';
export { DEFAULT_INGEST_LIMITS, type IngestLimits } from './logs/ingest/body.js';
export { LOKI_PUSH_PROTO, OTLP_LOGS_PROTO } from './logs/ingest/protos.js';
