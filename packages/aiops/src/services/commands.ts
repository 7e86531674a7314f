// The `sreworks aiops …` commands as functions over files: each reads its inputs, runs the
// operation and writes the output file or returns the text for stdout. The CLI registers them;
// tests call them directly.
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { InputError } from '@sreworks/kernel';
import { toCsv } from '../io/csv.js';
import { decodeText, parseMetricTable, parseSeries, splitLines } from './parse.js';
import { findPeriods, forecastSeries, mineTemplates, rootCauses, scoreAnomalies } from './operations.js';

/** Largest input file read (protects the process; the API has its own body limit). */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024 * 1024 - 1;

function readInput(path: string | undefined, field: string): Uint8Array {
  if (!path) throw new InputError(`--${field} is required`, { field }, 'AIOPS_INPUT_MISSING');
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`--${field} ${path} is not a file`, { field }, 'AIOPS_INPUT_NOT_FILE');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read --${field} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { field }, 'AIOPS_INPUT_UNREADABLE', e);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError(`--${field} is too large (${size} bytes)`, { field }, 'AIOPS_INPUT_TOO_LARGE');
  return readFileSync(path);
}

function writeOutput(path: string | undefined, text: string, field = 'output'): void {
  if (!path) throw new InputError(`--${field} is required`, { field }, 'AIOPS_OUTPUT_MISSING');
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new InputError(`cannot write --${field} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { field }, 'AIOPS_OUTPUT_UNWRITABLE', e);
  }
}

export interface LogTemplatesArgs {
  input?: string;
  output?: string;
}

/** `log-templates --input FILE --output FILE.csv`: one row per input line. Returns a summary. */
export function logTemplatesCommand(args: LogTemplatesArgs): string {
  const lines = splitLines(decodeText(readInput(args.input, 'input')));
  const t0 = performance.now();
  const res = mineTemplates(lines);
  const ms = performance.now() - t0;
  const byId = new Map(res.templates.map((t) => [t.id, t.template]));
  const rows = res.lineTemplates.map((id, i) => [i + 1, id, byId.get(id) ?? '']);
  writeOutput(args.output, toCsv(['line', 'template_id', 'template'], rows));
  return `${lines.length} lines, ${res.templates.length} templates in ${ms.toFixed(0)} ms\n`;
}

export interface AnomaliesArgs {
  input?: string;
  output?: string;
  detector?: string;
}

/** `anomalies --input FILE.csv --output FILE.csv [--detector NAME]`. */
export function anomaliesCommand(args: AnomaliesArgs): string {
  const s = parseSeries(decodeText(readInput(args.input, 'input')), 'input', true);
  const scores = scoreAnomalies(s.values, args.detector ?? 'novelty', {}, s.times);
  const rows = s.values.map((v, i) => [s.timestamps[i]!, Number.isFinite(v) ? v : 'NaN', round(scores[i]!)]);
  writeOutput(args.output, toCsv(['timestamp', 'value', 'anomaly_score'], rows));
  const n = scores.filter((x) => x >= 0.5).length;
  return `${s.values.length} points, ${n} with anomaly_score >= 0.5\n`;
}

export interface PeriodsArgs {
  input?: string;
  json?: boolean;
  periodogram?: 'ls' | 'huber';
}

/** `periods --input FILE [--json]`: the ranked periods in samples. */
export function periodsCommand(args: PeriodsArgs): string {
  const s = parseSeries(decodeText(readInput(args.input, 'input')), 'input');
  const res = findPeriods(s.values, { periodogram: args.periodogram });
  if (args.json) return JSON.stringify({ points: s.values.length, periods: res }, null, 2) + '\n';
  if (res.length === 0) return s.values.length < 16 ? `no period: ${s.values.length} points (at least 16 needed)\n` : 'no significant period\n';
  return res.map((p) => `${p.period}`).join('\n') + '\n';
}

export interface ForecastArgs {
  input?: string;
  output?: string;
  horizon?: string | number;
  period?: string | number;
  json?: boolean;
}

/** `forecast --input FILE --horizon N [--period P] [--output FILE.csv] [--json]`. */
export function forecastCommand(args: ForecastArgs): string {
  const s = parseSeries(decodeText(readInput(args.input, 'input')), 'input');
  const horizon = Number(args.horizon ?? 24);
  const period = args.period === undefined ? undefined : Number(args.period);
  const f = forecastSeries(s.values, horizon, period);
  const csv = toCsv(['step', 'mean', 'lower', 'upper'], f.mean.map((m, i) => [i + 1, round(m), round(f.lower[i]!), round(f.upper[i]!)]));
  if (args.output) writeOutput(args.output, csv);
  if (args.json) return JSON.stringify(f, null, 2) + '\n';
  return args.output ? `forecast of ${horizon} steps (period ${f.period || 'none'}) written\n` : csv;
}

export interface RcaArgs {
  normal?: string;
  anomalous?: string;
  json?: boolean;
  method?: string;
}

/** `rca --normal FILE.csv --anomalous FILE.csv [--json]`: services ranked by likely root cause. */
export function rcaCommand(args: RcaArgs): string {
  const normal = parseMetricTable(decodeText(readInput(args.normal, 'normal')), 'normal');
  const anomalous = parseMetricTable(decodeText(readInput(args.anomalous, 'anomalous')), 'anomalous');
  const ranked = rootCauses({ normal, anomalous }, (args.method ?? 'combined') as 'combined');
  if (args.json) return JSON.stringify({ ranking: ranked }, null, 2) + '\n';
  return ranked.map((r, i) => `${i + 1}. ${r.service} (${r.metric}, score ${r.score.toFixed(2)})`).join('\n') + '\n';
}

function round(v: number): number | string {
  if (!Number.isFinite(v)) return 'NaN';
  return Math.round(v * 1e6) / 1e6;
}
