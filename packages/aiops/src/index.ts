// @sreworks/aiops: pure algorithms (src/algorithms, no platform imports) and their services.
export * from './algorithms/log-templates.js';
export * from './algorithms/metrics.js';
export { parseCsv, parseCsvObjects, toCsv, csvField } from './io/csv.js';
export * from './algorithms/anomaly.js';
export * from './algorithms/novelty.js';
export * from './algorithms/nab.js';
