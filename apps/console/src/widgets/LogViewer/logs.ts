// Log line model for LogViewer (pure).
import { getPath, isRecord } from '../common/props.js';

export interface LogLine {
  /** epoch ms, when known */
  ts?: number;
  text: string;
  level?: 'error' | 'warn' | 'info' | 'debug';
  stream?: string;
}

// CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks).
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

const LEVEL = /\b(FATAL|PANIC|ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|TRACE)\b|level=(error|warn(?:ing)?|info|debug)/i;

export function levelOf(text: string): LogLine['level'] {
  const m = LEVEL.exec(text);
  if (!m) return undefined;
  const w = (m[1] ?? m[2]).toLowerCase();
  if (w === 'fatal' || w === 'panic' || w.startsWith('err')) return 'error';
  if (w.startsWith('warn')) return 'warn';
  if (w === 'info') return 'info';
  return 'debug';
}

function line(text: string, ts?: number, stream?: string): LogLine {
  const clean = stripAnsi(text).replace(/\r$/, '');
  return { ts, text: clean, level: levelOf(clean), stream };
}

function toMs(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string' && !/^\d+$/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  const n = Number(v);
  if (!Number.isFinite(n)) return undefined;
  // Loki uses nanoseconds; also accept µs, ms and s.
  if (n > 1e17) return Math.floor(n / 1e6);
  if (n > 1e14) return Math.floor(n / 1e3);
  if (n > 1e11) return n;
  return n * 1000;
}

function streamName(labels: Record<string, string> | undefined): string | undefined {
  if (!labels) return undefined;
  const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return pairs.length ? `{${pairs.map(([k, v]) => `${k}="${v}"`).join(', ')}}` : undefined;
}

/**
 * Lines from: a string, a string list, records ({ts|time|timestamp, line|message|msg|log|text}),
 * or a Loki streams result (bare or in the API envelope; streams are merged in time order).
 */
export function toLines(data: unknown, dataPath?: string): LogLine[] {
  const v = dataPath ? getPath(data, dataPath) : data;
  if (typeof v === 'string') return v.replace(/\n$/, '').split('\n').map((t) => line(t));
  if (isRecord(v)) {
    const res = isRecord(v.data) && v.data.resultType ? v.data : v;
    if (res.resultType === 'streams' && Array.isArray(res.result)) {
      const out: LogLine[] = [];
      for (const s of res.result as { stream?: Record<string, string>; values?: [string, string][] }[]) {
        const name = streamName(s.stream);
        for (const [ts, text] of s.values ?? []) out.push(line(text, toMs(ts), name));
      }
      return out.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
    }
    for (const k of ['lines', 'items', 'logs', 'data']) if (k in v) return toLines(v[k]);
    return [];
  }
  if (Array.isArray(v)) {
    return v.map((r) => {
      if (typeof r === 'string') return line(r);
      if (!isRecord(r)) return line(String(r));
      const text = r.line ?? r.message ?? r.msg ?? r.log ?? r.text ?? JSON.stringify(r);
      return line(String(text), toMs(r.ts ?? r.time ?? r.timestamp), r.stream === undefined ? undefined : String(r.stream));
    });
  }
  return [];
}

/** Indexes of lines containing the query (case-insensitive). */
export function matchIndexes(lines: LogLine[], query: string): number[] {
  if (!query) return [];
  const q = query.toLowerCase();
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (l.text.toLowerCase().includes(q)) out.push(i);
  });
  return out;
}

/** Visible window for a fixed line height, with overscan. */
export function visibleRange(scrollTop: number, viewport: number, lineHeight: number, count: number, overscan = 20): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / lineHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / lineHeight) + overscan);
  return [first, last];
}
