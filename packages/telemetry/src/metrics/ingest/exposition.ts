// Prometheus text exposition format 0.0.4 (and the OpenMetrics subset exporters emit):
// `# HELP`, `# TYPE`, `# UNIT`, `# EOF`, samples `name{l="v",…} value [timestamp_ms]`,
// label value escapes \\ \" \n, values NaN/+Inf/-Inf, exemplars after ` # ` ignored.
import { InputError } from '@sreworks/kernel';
import type { Labels } from '@sreworks/promql';
import type { MetricMetadata, MetricType } from '../types.js';

export interface ParsedSample {
  labels: Labels;
  value: number;
  timestampMs?: number;
}

export interface Exposition {
  samples: ParsedSample[];
  metadata: MetricMetadata[];
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown', 'untyped']);

export function parseExposition(text: string, field = 'scrape'): Exposition {
  const samples: ParsedSample[] = [];
  const meta = new Map<string, MetricMetadata>();
  const lines = text.split('\n');
  const metaFor = (name: string) => {
    let m = meta.get(name);
    if (!m) meta.set(name, (m = { metric: name, type: 'unknown', help: '', unit: '' }));
    return m;
  };
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.replace(/\r$/, '');
    const where = `${field}:line ${ln + 1}`;
    if (line === '' || /^\s*$/.test(line)) continue;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE|UNIT)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (m) {
        const md = metaFor(m[2]!);
        const rest = m[3] ?? '';
        if (m[1] === 'HELP') md.help = rest.replace(/\\(\\|n)/g, (_, c) => (c === 'n' ? '\n' : '\\'));
        else if (m[1] === 'TYPE') {
          const t = rest.trim().toLowerCase();
          if (!TYPES.has(t)) throw new InputError(`${where}: unknown metric type ${JSON.stringify(t)}`, { field: where }, 'TELEMETRY_EXPOSITION_INVALID');
          md.type = (t === 'untyped' ? 'unknown' : t) as MetricType;
        } else md.unit = rest.trim();
      }
      continue; // other comments and `# EOF`
    }
    samples.push(parseSampleLine(line, where));
  }
  return { samples, metadata: [...meta.values()] };
}

function parseSampleLine(line: string, where: string): ParsedSample {
  let i = 0;
  const fail = (msg: string): never => {
    throw new InputError(`${where}: ${msg} at column ${i + 1}: ${line.slice(0, 120)}`, { field: where }, 'TELEMETRY_EXPOSITION_INVALID');
  };
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) fail('expected a metric name');
  const labels: Labels = { __name__: nameMatch![0] };
  i = nameMatch![0].length;
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
      if (!ln) fail('expected a label name');
      i += ln![0].length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=') fail('expected =');
      i++;
      while (line[i] === ' ') i++;
      if (line[i] !== '"') fail('expected a quoted label value');
      i++;
      let v = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) fail('unterminated label value');
        if (c === '"') break;
        if (c === '\\') {
          const n = line[i + 1];
          if (n === 'n') v += '\n';
          else if (n === '\\' || n === '"') v += n;
          else fail('invalid escape in label value');
          i += 2;
          continue;
        }
        v += c;
        i++;
      }
      i++;
      if (ln![0] in labels) fail(`duplicate label ${ln![0]}`);
      labels[ln![0]] = v;
      while (line[i] === ' ') i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') fail('expected , or }');
    }
  }
  const rest = line.slice(i).split(' # ')[0]!.trim().split(/\s+/);
  if (!rest[0]) fail('expected a value');
  const value = parseValue(rest[0]!);
  if (value === undefined) fail(`invalid value ${JSON.stringify(rest[0])}`);
  let timestampMs: number | undefined;
  if (rest[1] !== undefined) {
    const t = Number(rest[1]);
    if (!Number.isFinite(t)) fail(`invalid timestamp ${JSON.stringify(rest[1])}`);
    // OpenMetrics timestamps are seconds with a fraction; 0.0.4 timestamps are integer ms
    timestampMs = rest[1]!.includes('.') ? Math.round(t * 1000) : t;
  }
  return { labels, value: value!, timestampMs };
}

function parseValue(s: string): number | undefined {
  switch (s) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}
