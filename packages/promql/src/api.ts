// Helpers for an HTTP layer serving the Prometheus API over this engine: parameter parsing and
// error bodies worded as Prometheus' web/api/v1 does.
import { ParseError, parseDuration } from './parser/parse.js';
import { PromQLError } from './value.js';

/** `time`/`start`/`end`: Unix seconds (float) or RFC 3339. Returns ms. */
export function parsePromTime(s: string, field = 'time'): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    if (Number.isFinite(ms)) return ms;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    const ms = Date.parse(s);
    if (Number.isFinite(ms)) return ms;
  }
  throw new PromQLError('bad_data', `invalid parameter "${field}": cannot parse "${s}" to a valid timestamp`);
}

/** `step`/`timeout`/`lookback_delta`: float seconds or a Prometheus duration (`1m30s`). Returns ms. */
export function parsePromDuration(s: string, field = 'step'): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    if (Number.isFinite(ms)) return ms;
  }
  const d = parseDuration(s);
  if (d !== undefined) return d;
  throw new PromQLError('bad_data', `invalid parameter "${field}": cannot parse "${s}" to a valid duration`);
}

export interface PromErrorResponse {
  httpStatus: number;
  body: { status: 'error'; errorType: string; error: string };
}

/** Maps an engine or parse error to Prometheus' API error (400 bad_data, 422 execution, 503 timeout). */
export function promErrorResponse(err: unknown): PromErrorResponse {
  if (err instanceof ParseError) {
    return { httpStatus: 400, body: { status: 'error', errorType: 'bad_data', error: `invalid parameter "query": ${err.message}` } };
  }
  if (err instanceof PromQLError) {
    const httpStatus = err.errorType === 'bad_data' ? 400 : err.errorType === 'execution' ? 422 : err.errorType === 'timeout' ? 503 : 499;
    return { httpStatus, body: { status: 'error', errorType: err.errorType, error: err.message } };
  }
  return { httpStatus: 500, body: { status: 'error', errorType: 'internal', error: err instanceof Error ? err.message : String(err) } };
}
