import { anchoredRegex } from '../labels.js';
import type { Labels, LineFilter } from '../types.js';
import type { LabelPredicate, Stage } from './ast.js';
import { parseBytes, parseDurationMs } from './parser.js';
import { compileTemplate } from './template.js';

export type PipelineFn = (labels: Labels, line: string, tsMs: number) => { labels: Labels; line: string } | null;

export interface CompiledPipeline {
  run: PipelineFn;
  /** Line filters the store can apply itself (every one up to the first line_format). */
  pushdown: LineFilter[];
  /** True when every stage is a line filter: the result labels are the input labels. */
  keepsLabels: boolean;
  /** True when every stage was pushed down: the store's answer needs no further filtering. */
  fullyPushed: boolean;
}

function sanitizeKey(k: string): string {
  const s = k.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** Loki's json parser: nested objects flattened with "_", arrays skipped, keys sanitised. */
function parseJsonLabels(line: string, into: Labels, original: Labels): boolean {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return false;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [k, val] of Object.entries(obj)) {
      const key = prefix ? `${prefix}_${sanitizeKey(k)}` : sanitizeKey(k);
      if (val === null) setParsed(into, original, key, '');
      else if (Array.isArray(val)) continue;
      else if (typeof val === 'object') walk(val as Record<string, unknown>, key);
      else setParsed(into, original, key, String(val));
    }
  };
  walk(v as Record<string, unknown>, '');
  return true;
}

/** A parsed key that collides with a stream label gets "_extracted", as in Loki. */
function setParsed(into: Labels, original: Labels, key: string, value: string): void {
  into[key in original ? `${key}_extracted` : key] = value;
}

/** logfmt: key=value, key="quoted value", bare keys; false when the line is not logfmt. */
export function parseLogfmt(line: string, into: Labels, original: Labels): boolean {
  let i = 0;
  const n = line.length;
  let ok = true;
  while (i < n) {
    while (i < n && line[i] === ' ') i++;
    if (i >= n) break;
    const ks = i;
    while (i < n && line[i] !== '=' && line[i] !== ' ') i++;
    const key = line.slice(ks, i);
    if (key === '' || key.includes('"')) {
      ok = false;
      while (i < n && line[i] !== ' ') i++;
      continue;
    }
    let value = '';
    if (line[i] === '=') {
      i++;
      if (line[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const c = line[i]!;
          if (c === '\\' && i + 1 < n) {
            const e = line[i + 1]!;
            value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
            i += 2;
            continue;
          }
          if (c === '"') {
            closed = true;
            i++;
            break;
          }
          value += c;
          i++;
        }
        if (!closed) ok = false;
      } else {
        const vs = i;
        while (i < n && line[i] !== ' ') i++;
        value = line.slice(vs, i);
      }
    }
    setParsed(into, original, sanitizeKey(key), value);
  }
  return ok;
}

function numericValue(p: Extract<LabelPredicate, { kind: 'number' }>, raw: string): number | undefined {
  if (p.unit === 'duration') {
    if (/^-?\d+(?:\.\d+)?$/.test(raw)) return Number(raw);
    const ms = parseDurationMs(raw);
    return /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w|y))+$/.test(raw) ? ms / 1000 : undefined;
  }
  if (p.unit === 'bytes') {
    if (/^-?\d+(?:\.\d+)?$/.test(raw)) return Number(raw);
    return parseBytes(raw);
  }
  if (raw.trim() === '') return undefined;
  const v = Number(raw);
  return Number.isNaN(v) ? undefined : v;
}

/** Evaluate a label predicate; a failed numeric conversion sets __error__ and keeps the line (Loki). */
function evalPredicate(p: LabelPredicate, labels: Labels): boolean {
  switch (p.kind) {
    case 'and':
      return evalPredicate(p.left, labels) && evalPredicate(p.right, labels);
    case 'or':
      return evalPredicate(p.left, labels) || evalPredicate(p.right, labels);
    case 'string': {
      const v = labels[p.name] ?? '';
      if (p.op === '=') return v === p.value;
      if (p.op === '!=') return v !== p.value;
      const m = anchoredRegex(p.value).test(v);
      return p.op === '=~' ? m : !m;
    }
    case 'number': {
      const raw = labels[p.name];
      if (raw === undefined) return false;
      const v = numericValue(p, raw);
      if (v === undefined) {
        labels.__error__ = 'LabelFilterErr';
        labels.__error_details__ = `cannot convert ${JSON.stringify(raw)} to a number for label ${p.name}`;
        return true;
      }
      switch (p.op) {
        case '==':
          return v === p.value;
        case '!=':
          return v !== p.value;
        case '>':
          return v > p.value;
        case '>=':
          return v >= p.value;
        case '<':
          return v < p.value;
        case '<=':
          return v <= p.value;
      }
    }
  }
}

const ERROR_LABELS = new Set(['__error__', '__error_details__']);

export function compilePipeline(input: readonly Stage[]): CompiledPipeline {
  // `| drop __error__` before any stage that can set __error__ is a no-op (Grafana's log volume
  // query sends it): leaving it out keeps such queries on the store-side counting path.
  let canErr = false;
  const stages = input.filter((s) => {
    if (s.kind === 'json' || s.kind === 'logfmt' || s.kind === 'label_filter') canErr = true;
    return !(s.kind === 'drop' && !canErr && s.labels.every((l) => ERROR_LABELS.has(l.name)));
  });
  const pushdown: LineFilter[] = [];
  let sawFormat = false;
  for (const s of stages) {
    if (s.kind === 'line_format') sawFormat = true;
    if (s.kind === 'line_filter' && !sawFormat && (s.op === '|=' || s.op === '!=')) pushdown.push({ op: s.op, value: s.value });
  }
  const keepsLabels = stages.every((s) => s.kind === 'line_filter');
  const fullyPushed = stages.every((s) => s.kind === 'line_filter' && (s.op === '|=' || s.op === '!='));
  const steps: ((st: { labels: Labels; line: string; original: Labels; tsMs: number }) => boolean)[] = stages.map((s) => {
    switch (s.kind) {
      case 'line_filter': {
        if (s.op === '|=') return (st) => st.line.includes(s.value);
        if (s.op === '!=') return (st) => !st.line.includes(s.value);
        const re = new RegExp(s.value, 's');
        return s.op === '|~' ? (st) => re.test(st.line) : (st) => !re.test(st.line);
      }
      case 'json':
        return (st) => {
          if (!parseJsonLabels(st.line, st.labels, st.original)) {
            st.labels.__error__ = 'JSONParserErr';
            st.labels.__error_details__ = 'line is not a JSON object';
          }
          return true;
        };
      case 'logfmt':
        return (st) => {
          if (!parseLogfmt(st.line, st.labels, st.original)) {
            st.labels.__error__ = 'LogfmtParserErr';
            st.labels.__error_details__ = 'line is not valid logfmt';
          }
          return true;
        };
      case 'label_filter':
        return (st) => evalPredicate(s.predicate, st.labels);
      case 'drop':
        return (st) => {
          for (const l of s.labels) if (l.value === undefined || st.labels[l.name] === l.value) delete st.labels[l.name];
          return true;
        };
      case 'keep':
        return (st) => {
          for (const k of Object.keys(st.labels)) {
            const rule = s.labels.find((l) => l.name === k);
            if (!rule || (rule.value !== undefined && st.labels[k] !== rule.value)) delete st.labels[k];
          }
          return true;
        };
      case 'line_format': {
        const t = compileTemplate(s.template);
        return (st) => {
          st.line = t.render(st.labels, st.line, st.tsMs);
          return true;
        };
      }
    }
  });
  const run: PipelineFn = (labels, line, tsMs) => {
    const st = { labels: keepsLabels ? labels : { ...labels }, line, original: labels, tsMs };
    for (const step of steps) if (!step(st)) return null;
    return { labels: st.labels, line: st.line };
  };
  return { run, pushdown, keepsLabels, fullyPushed };
}
