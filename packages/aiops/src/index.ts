// @sreworks/aiops: pure algorithms (src/algorithms, no platform imports) and their services.
export * from './algorithms/log-templates.js';
export * from './algorithms/metrics.js';
export { parseCsv, parseCsvObjects, toCsv, csvField } from './io/csv.js';
export * from './algorithms/anomaly.js';
export * from './algorithms/novelty.js';
export * from './algorithms/nab.js';
export * from './algorithms/periodicity.js';
export { hpFilter, modwt, fisherPValue, acf, periodogram, median, mad, biweightMidvariance } from './algorithms/dsp.js';
export * from './algorithms/forecast.js';
export * from './algorithms/rca.js';
export * from './services/parse.js';
export * from './services/operations.js';
export * from './services/commands.js';
export { aiopsPermissions } from './services/permissions.js';
export { RunStore, type Run, type RunKind, type RunStatus } from './services/runs.js';
export { aiopsMigrations } from './services/migrations.js';
export { LogStreamService, type NewPattern, type IngestResult } from './services/log-streams.js';
export { aiopsRoutes, type AiopsRoutesOptions } from './routes.js';
