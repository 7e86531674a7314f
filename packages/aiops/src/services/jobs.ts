// The work of one AIOps run, built from a validated request body. Kept apart from the routes so
// a background run can rebuild it inside a worker thread from the same (kind, body).
import { InputError } from '@sreworks/kernel';
import { MAX_HUBER_POINTS, findPeriods, forecastSeries, mineTemplates, rootCauses, scoreAnomalies } from './operations.js';
import type { RunKind } from './runs.js';

const nums = (xs: readonly (number | null)[]) => xs.map((v) => (v === null ? NaN : v));
const cols = (r: Record<string, (number | null)[]>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, nums(v)]));

export type Job = { size: number; params: Record<string, unknown>; summary: Record<string, unknown>; exec: () => unknown };

function summarise(vs: readonly (number | null)[]): Record<string, unknown> {
  let n = 0;
  let missing = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of vs) {
    if (v === null || !Number.isFinite(v)) missing++;
    else {
      n++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { points: vs.length, missing, min: n ? min : null, max: n ? max : null };
}

/** Builds the job for one kind from a validated body. */
export function jobFor(kind: RunKind, body: any): Job {
  switch (kind) {
    case 'log-templates': {
      const lines = body.lines as string[];
      const bytes = lines.reduce((p, l) => p + l.length, 0);
      const params = body.similarity === undefined ? {} : { similarity: body.similarity };
      return { size: lines.length, params, summary: { lines: lines.length, chars: bytes }, exec: () => mineTemplates(lines, params) };
    }
    case 'anomalies': {
      const detector = body.detector ?? 'novelty';
      const params = body.params ?? {};
      return { size: body.values.length, params: { detector, ...params }, summary: summarise(body.values), exec: () => ({ scores: scoreAnomalies(nums(body.values), detector, params) }) };
    }
    case 'periods': {
      const periodogram = body.periodogram ?? 'ls';
      if (periodogram === 'huber' && body.values.length > MAX_HUBER_POINTS) {
        throw new InputError(`the huber periodogram is limited to ${MAX_HUBER_POINTS} points; use ls`, { field: 'body.periodogram' }, 'AIOPS_PARAMS_INVALID');
      }
      return { size: body.values.length, params: { periodogram }, summary: summarise(body.values), exec: () => ({ periods: findPeriods(nums(body.values), { periodogram }) }) };
    }
    case 'forecast':
      return {
        size: body.values.length,
        params: { horizon: body.horizon, period: body.period ?? null, level: body.level ?? 0.95 },
        summary: summarise(body.values),
        exec: () => forecastSeries(nums(body.values), body.horizon, body.period, body.level),
      };
    case 'rca': {
      const size = Object.values(body.anomalous as Record<string, unknown[]>).reduce((p, v) => p + v.length, 0) + Object.values(body.normal as Record<string, unknown[]>).reduce((p, v) => p + v.length, 0);
      const method = body.method ?? 'combined';
      return {
        size,
        params: { method },
        summary: {
          columns: Object.keys(body.anomalous).length,
          normalRows: Math.max(0, ...Object.values(body.normal as Record<string, unknown[]>).map((v) => v.length)),
          anomalousRows: Math.max(0, ...Object.values(body.anomalous as Record<string, unknown[]>).map((v) => v.length)),
          changes: body.changes?.length ?? 0,
          topology: body.dependsOn ? Object.keys(body.dependsOn).length : 0,
        },
        exec: () => ({
          ranking: rootCauses({ normal: cols(body.normal), anomalous: cols(body.anomalous), dependsOn: body.dependsOn, changes: body.changes, logAnomalies: body.logAnomalies }, method),
        }),
      };
    }
  }
}

