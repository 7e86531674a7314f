// The five AIOps operations over already-parsed inputs, shared by the CLI and the HTTP routes.
// Each validates its parameters (InputError naming the field) and returns plain JSON data.
import { InputError } from '@sreworks/kernel';
import { LogTemplateMiner, type LogTemplateOptions } from '../algorithms/log-templates.js';
import { createDetector, detectSeries, DETECTORS } from '../algorithms/anomaly.js';
import { detectPeriods, type DetectedPeriod, type PeriodOptions } from '../algorithms/periodicity.js';
import { forecast, type Forecast } from '../algorithms/forecast.js';
import { rankRootCauses, type RcaInput, type RcaMethod, type RcaRanking } from '../algorithms/rca.js';

export interface TemplatesResult {
  /** per input line: final template id */
  lineTemplates: number[];
  templates: { id: number; template: string; count: number }[];
}

export function mineTemplates(lines: readonly string[], options: LogTemplateOptions = {}): TemplatesResult {
  const miner = new LogTemplateMiner(options);
  const ids = new Int32Array(lines.length);
  // a fixed clock: pattern counts over time need real times, which plain lines do not carry
  for (let i = 0; i < lines.length; i++) ids[i] = miner.add(lines[i]!, 0).templateId;
  const lineTemplates = Array.from(ids, (id) => miner.resolve(id).id);
  return { lineTemplates, templates: miner.templates().map((t) => ({ id: t.id, template: t.template, count: t.count })) };
}

export function scoreAnomalies(values: readonly number[], detector = 'novelty', params: Record<string, unknown> = {}, times?: readonly number[]): number[] {
  if (!(DETECTORS as readonly string[]).includes(detector)) {
    throw new InputError(`unknown detector ${JSON.stringify(detector)}; known: ${DETECTORS.join(', ')}`, { field: 'detector' }, 'AIOPS_DETECTOR_UNKNOWN');
  }
  let det;
  try {
    det = createDetector(detector, params);
  } catch (e) {
    throw new InputError(`bad detector parameters: ${(e as Error).message}`, { field: 'params' }, 'AIOPS_PARAMS_INVALID', e);
  }
  return detectSeries(det, values, times);
}

/** The Huber periodogram is O(n²); beyond this many points it would run for minutes. */
export const MAX_HUBER_POINTS = 20_000;

export function findPeriods(values: readonly number[], options: PeriodOptions = {}): DetectedPeriod[] {
  if (options.periodogram && !['ls', 'huber'].includes(options.periodogram)) {
    throw new InputError('periodogram must be ls or huber', { field: 'periodogram' }, 'AIOPS_PARAMS_INVALID');
  }
  if (options.periodogram === 'huber' && values.length > MAX_HUBER_POINTS) {
    throw new InputError(`the huber periodogram is limited to ${MAX_HUBER_POINTS} points; use ls`, { field: 'periodogram' }, 'AIOPS_PARAMS_INVALID');
  }
  return detectPeriods(values, options);
}

export function forecastSeries(values: readonly number[], horizon: number, period?: number, level?: number): Forecast {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 100_000) throw new InputError('horizon must be an integer in 1..100000', { field: 'horizon' }, 'AIOPS_PARAMS_INVALID');
  if (period !== undefined && (!Number.isInteger(period) || period < 0)) throw new InputError('period must be a non-negative integer', { field: 'period' }, 'AIOPS_PARAMS_INVALID');
  if (values.filter((v) => Number.isFinite(v)).length < 2) throw new InputError('need at least 2 finite values to forecast', { field: 'values' }, 'AIOPS_INPUT_TOO_SHORT');
  return forecast(values, horizon, { period, level });
}

export function rootCauses(input: RcaInput, method: RcaMethod = 'combined'): RcaRanking[] {
  if (!['nsigma', 'baro', 'combined'].includes(method)) throw new InputError('method must be nsigma, baro or combined', { field: 'method' }, 'AIOPS_PARAMS_INVALID');
  const shared = Object.keys(input.anomalous).filter((c) => c !== 'time' && c !== 'timestamp' && input.normal[c]);
  if (shared.length === 0) throw new InputError('normal and anomalous data share no metric columns', { field: 'anomalous' }, 'AIOPS_INPUT_COLUMNS');
  return rankRootCauses(input, { method });
}
