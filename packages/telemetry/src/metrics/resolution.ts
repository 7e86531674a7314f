// Which table a select reads: raw samples, or a rollup when the query is coarse enough that
// one point per minute (or hour) cannot change the answer much, or when raw data has expired.
import type { SelectHints } from '@sreworks/promql';
import type { Resolution, RetentionPolicy } from './types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
/** a rollup is used only when step and range each cover at least this many rollup points. */
const POINTS = 5;

/** functions whose result over rollup points stays close to the result over raw samples. */
const ROLLUP_SAFE = new Set(['', 'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'resets', 'last_over_time', 'min_over_time', 'max_over_time', 'avg_over_time', 'present_over_time']);

export function chooseResolution(startMs: number, endMs: number, hints: SelectHints | undefined, retention: RetentionPolicy, nowMs: number): Resolution {
  const func = hints?.func ?? '';
  const rawGone = startMs < nowMs - retention.rawMs;
  const m1Gone = startMs < nowMs - retention.rollup1mMs;
  if (!ROLLUP_SAFE.has(func)) return 'raw';
  const step = hints?.stepMs ?? 0;
  const range = hints?.rangeMs ?? 5 * MIN; // instant selectors look back 5 minutes
  const fits = (w: number) => step >= POINTS * w && range >= POINTS * w;
  if ((fits(HOUR) && endMs - startMs >= 2 * 86_400_000) || m1Gone) return '1h';
  if (fits(MIN) || rawGone) return '1m';
  return 'raw';
}

/** the rollup column that stands for a sample, per function. */
export function rollupValueColumn(func: string | undefined): string {
  switch (func) {
    case 'min_over_time':
      return 'min';
    case 'max_over_time':
      return 'max';
    case 'avg_over_time':
      return 'sum / cnt';
    default:
      return 'last';
  }
}
