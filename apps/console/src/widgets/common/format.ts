// Cell and value formatting shared by Table, Descriptions, KeyValue and StatCard. No React here.

export type BadgeStatus = 'success' | 'processing' | 'error' | 'warning' | 'default';

const STATUS_WORDS: Record<string, BadgeStatus> = {};
for (const w of ['running', 'ready', 'succeeded', 'success', 'successful', 'healthy', 'ok', 'active', 'up', 'available', 'completed', 'done', 'passed', 'true', 'enabled', 'published', 'resolved', 'normal'])
  STATUS_WORDS[w] = 'success';
for (const w of ['pending', 'progressing', 'deploying', 'creating', 'updating', 'starting', 'queued', 'waiting', 'inprogress', 'in_progress', 'processing', 'rolling', 'terminating', 'draft'])
  STATUS_WORDS[w] = 'processing';
for (const w of ['failed', 'failure', 'error', 'crashloopbackoff', 'unhealthy', 'down', 'critical', 'fatal', 'rejected', 'false', 'firing', 'unavailable', 'oomkilled'])
  STATUS_WORDS[w] = 'error';
for (const w of ['warning', 'warn', 'degraded', 'unknown', 'suspended', 'paused', 'stale', 'timeout'])
  STATUS_WORDS[w] = 'warning';

/** Badge status for a free-form status word ("Running", "CrashLoopBackOff", "OK"); a map overrides. */
export function statusOf(value: unknown, map?: Record<string, string>): BadgeStatus {
  const s = String(value ?? '');
  const mapped = map?.[s];
  if (mapped && ['success', 'processing', 'error', 'warning', 'default'].includes(mapped)) return mapped as BadgeStatus;
  return STATUS_WORDS[s.toLowerCase().replace(/[\s-]/g, '')] ?? 'default';
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  let i = 0;
  let v = Math.abs(n);
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${n < 0 ? '-' : ''}${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${BYTE_UNITS[i]}`;
}

/** Milliseconds as "1h 2m", "3.5s", "120ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${+s.toFixed(1)}s`;
  const parts: string[] = [];
  let rest = Math.floor(s);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const q = Math.floor(rest / size);
    if (q > 0) parts.push(`${q}${unit}`);
    rest -= q * size;
  }
  return parts.slice(0, 2).join(' ');
}

/** Accepts epoch seconds, epoch milliseconds, or an ISO string. */
export function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v < 1e11 ? v * 1000 : v);
  if (typeof v === 'string' && v !== '') {
    if (/^\d+(\.\d+)?$/.test(v)) return toDate(Number(v));
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local "YYYY-MM-DD HH:mm:ss"; unparseable values are shown as they are. */
export function formatDateTime(v: unknown): string {
  const d = toDate(v);
  if (!d) return v === undefined || v === null ? '' : String(v);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatRelative(v: unknown, now = Date.now()): string {
  const d = toDate(v);
  if (!d) return v === undefined || v === null ? '' : String(v);
  const diff = now - d.getTime();
  const text = formatDuration(Math.abs(diff));
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

export type ValueFormat = 'text' | 'number' | 'percent' | 'bytes' | 'duration' | 'datetime' | 'relativeTime' | 'json' | 'boolean';

export function formatValue(v: unknown, format: ValueFormat = 'text', precision?: number): string {
  if (v === undefined || v === null) return '';
  switch (format) {
    case 'number': {
      const n = Number(v);
      return Number.isFinite(n) ? n.toLocaleString(undefined, precision === undefined ? undefined : { maximumFractionDigits: precision, minimumFractionDigits: precision }) : String(v);
    }
    case 'percent': {
      const n = Number(v);
      return Number.isFinite(n) ? `${(n * 100).toFixed(precision ?? 1)}%` : String(v);
    }
    case 'bytes':
      return formatBytes(Number(v));
    case 'duration':
      return formatDuration(Number(v));
    case 'datetime':
      return formatDateTime(v);
    case 'relativeTime':
      return formatRelative(v);
    case 'json':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'boolean':
      return v ? '✓' : '✗';
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}
