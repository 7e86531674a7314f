// Parsing of the user-facing input formats (CLI files and API bodies) into algorithm inputs, with
// errors that name the field and line. Shared by the CLI commands and the services.
import { InputError } from '@sreworks/kernel';
import { parseCsv } from '../io/csv.js';

/** Decodes bytes as UTF-8, replacing invalid sequences (non-UTF-8 log lines never throw). */
export function decodeText(buf: Uint8Array | string): string {
  if (typeof buf === 'string') return buf;
  return new TextDecoder('utf-8', { fatal: false }).decode(buf);
}

/** Splits text into lines (LF or CRLF), dropping one trailing empty line. */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function num(s: string | undefined): number {
  if (s === undefined) return NaN;
  const t = s.trim();
  if (t === '' || /^(nan|null|na|none)$/i.test(t)) return NaN;
  return Number(t);
}

/** Parses a timestamp: epoch seconds/ms or an ISO-like date. */
export function parseTime(s: string): number {
  const t = s.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    const v = Number(t);
    return v < 1e11 ? v * 1000 : v; // seconds vs ms
  }
  const iso = /^\d{4}-\d{2}-\d{2} \d/.test(t) ? t.replace(' ', 'T') : t;
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) || !iso.includes('T') ? iso : iso + 'Z';
  return Date.parse(withZone);
}

export interface Series {
  timestamps: string[];
  times: number[];
  values: number[];
}

/**
 * Reads `timestamp,value` rows (a header is optional) or one value per line. Non-numeric
 * values become NaN (the detectors define a result for them); unparsable timestamps and time
 * going backwards are errors naming the line.
 */
export function parseSeries(text: string, field = 'input', requireTime = false): Series {
  const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
  if (rows.length === 0) throw new InputError(`${field} is empty`, { field }, 'AIOPS_INPUT_EMPTY');
  const width = rows[0]!.length;
  let start = 0;
  if (width >= 2) {
    if (Number.isNaN(num(rows[0]![1])) && Number.isNaN(parseTime(rows[0]![0]!))) start = 1; // header
  } else if (Number.isNaN(num(rows[0]![0]))) start = 1;
  const out: Series = { timestamps: [], times: [], values: [] };
  if (width < 2 && requireTime) throw new InputError(`${field} must have two columns: timestamp,value`, { field }, 'AIOPS_INPUT_COLUMNS');
  for (let i = start; i < rows.length; i++) {
    const r = rows[i]!;
    const line = i + 1;
    if (width >= 2) {
      if (r.length < 2) throw new InputError(`${field} line ${line}: expected timestamp,value`, { field: `${field}[${line}]` }, 'AIOPS_INPUT_COLUMNS');
      const t = parseTime(r[0]!);
      if (Number.isNaN(t)) throw new InputError(`${field} line ${line}: bad timestamp ${JSON.stringify(r[0]!.slice(0, 40))}`, { field: `${field}[${line}].timestamp` }, 'AIOPS_INPUT_TIMESTAMP');
      const prev = out.times[out.times.length - 1];
      if (prev !== undefined && t < prev) throw new InputError(`${field} line ${line}: timestamps must be in time order`, { field: `${field}[${line}].timestamp` }, 'AIOPS_INPUT_ORDER');
      out.timestamps.push(r[0]!);
      out.times.push(t);
      out.values.push(num(r[1]));
    } else {
      out.timestamps.push(String(out.values.length));
      out.times.push(out.values.length);
      out.values.push(num(r[0]));
    }
  }
  if (out.values.length === 0) throw new InputError(`${field} has no data rows`, { field }, 'AIOPS_INPUT_EMPTY');
  return out;
}

/** Reads a metrics table with a header (`time`, `<service>_<metric>`…) into columns. */
export function parseMetricTable(text: string, field: string): Record<string, number[]> {
  const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
  if (rows.length < 2) throw new InputError(`${field} needs a header and at least one row`, { field }, 'AIOPS_INPUT_EMPTY');
  const header = rows[0]!.map((h) => h.trim());
  if (header.length < 2) throw new InputError(`${field} needs metric columns named <service>_<metric>`, { field }, 'AIOPS_INPUT_COLUMNS');
  const out: Record<string, number[]> = {};
  for (const h of header) out[h] = [];
  for (let i = 1; i < rows.length; i++) header.forEach((h, k) => out[h]!.push(num(rows[i]![k])));
  return out;
}
