// `sreworks query 'PROMQL' [--range 1h] [--step 30s] [--time …] [--json]`: runs PromQL on the
// platform's Prometheus API (URL and token from --url/--token, SREWORKS_URL/SREWORKS_TOKEN or the
// saved login, like every other command).
import type { Command } from 'commander';
import { clientFor } from '../client.js';
import { formatOf } from '../output.js';

export interface QueryCommandOptions {
  range?: string;
  step?: string;
  time?: string;
  json?: boolean;
}

interface PromResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Prometheus duration (`1h30m`, `15s`) or plain seconds → seconds. */
export function parseDurationSeconds(v: string, what: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let end = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(v))) {
    total += Number(m[1]) * UNIT_S[m[2]!]!;
    end = re.lastIndex;
  }
  if (!end || end !== v.length || total <= 0) throw new Error(`${what}: ${JSON.stringify(v)} is not a duration (e.g. 30s, 5m, 1h)`);
  return total;
}

/** Time as RFC 3339, Unix seconds, or `now-1h`. Returns Unix seconds. */
function parseTimeSeconds(v: string, now: number): number {
  const rel = /^now(-(.+))?$/.exec(v);
  if (rel) return now - (rel[2] ? parseDurationSeconds(rel[2], '--time') : 0);
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`--time: ${JSON.stringify(v)} is not a time (RFC 3339, Unix seconds or now-1h)`);
  return t / 1000;
}

export interface QueryRequest {
  path: string;
  params: URLSearchParams;
}

/** Builds the Prometheus API call for the command line. */
export function buildQueryRequest(expr: string, opts: QueryCommandOptions, nowSeconds = Date.now() / 1000): QueryRequest {
  if (!expr.trim()) throw new Error('PROMQL: the query is empty');
  if (opts.range) {
    const range = parseDurationSeconds(opts.range, '--range');
    // about 250 points per series unless --step says otherwise, never finer than 1 s
    const step = opts.step ? parseDurationSeconds(opts.step, '--step') : Math.max(1, Math.round(range / 250));
    const end = opts.time ? parseTimeSeconds(opts.time, nowSeconds) : nowSeconds;
    return { path: '/prometheus/api/v1/query_range', params: new URLSearchParams({ query: expr, start: String(end - range), end: String(end), step: String(step) }) };
  }
  if (opts.step) throw new Error('--step needs --range');
  const params = new URLSearchParams({ query: expr });
  if (opts.time) params.set('time', String(parseTimeSeconds(opts.time, nowSeconds)));
  return { path: '/prometheus/api/v1/query', params };
}

function labelsText(metric: Record<string, string>): string {
  const { __name__: name, ...rest } = metric;
  const inner = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`)
    .join(', ');
  return `${name ?? ''}{${inner}}`;
}

/** Human-readable rendering of a Prometheus API `data` field. */
export function formatQueryResult(data: { resultType: string; result: unknown }): string {
  switch (data.resultType) {
    case 'vector': {
      const rows = data.result as { metric: Record<string, string>; value: [number, string] }[];
      if (!rows.length) return '(no data)';
      const left = rows.map((r) => labelsText(r.metric));
      const w = Math.max(...left.map((l) => l.length));
      return rows.map((r, i) => `${left[i]!.padEnd(w)}  ${r.value[1]}`).join('\n');
    }
    case 'matrix': {
      const rows = data.result as { metric: Record<string, string>; values: [number, string][] }[];
      if (!rows.length) return '(no data)';
      return rows
        .map((r) => [labelsText(r.metric), ...r.values.map(([t, v]) => `  ${new Date(t * 1000).toISOString()}  ${v}`)].join('\n'))
        .join('\n\n');
    }
    case 'scalar':
    case 'string': {
      const [, v] = data.result as [number, string];
      return String(v);
    }
    default:
      return JSON.stringify(data.result);
  }
}

export interface QueryIo {
  /** base URL and token; default: SREWORKS_URL and SREWORKS_TOKEN of env */
  target?: { url?: string; token?: string };
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  out?: (s: string) => void;
  err?: (s: string) => void;
}

/** Runs one query; returns the process exit code (0 ok, 1 query refused, 2 usage or transport). */
export async function runQuery(expr: string, opts: QueryCommandOptions, io: QueryIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((s) => process.stdout.write(s + '\n'));
  const err = io.err ?? ((s) => process.stderr.write(s + '\n'));
  const base = io.target ? io.target.url : env.SREWORKS_URL;
  const token = io.target ? io.target.token : env.SREWORKS_TOKEN;
  if (!base) {
    err('SREWORKS_URL is not set (the platform base URL, e.g. http://localhost:7001)');
    return 2;
  }
  let req: QueryRequest;
  try {
    req = buildQueryRequest(expr, opts);
  } catch (e) {
    err((e as Error).message);
    return 2;
  }
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await (io.fetch ?? fetch)(base.replace(/\/+$/, '') + req.path, { method: 'POST', headers, body: req.params.toString() });
  } catch (e) {
    err(`cannot reach ${base}: ${(e as Error).message}`);
    return 2;
  }
  const text = await res.text();
  let body: PromResponse | { error?: { code?: string; message?: string } };
  try {
    body = JSON.parse(text);
  } catch {
    err(`HTTP ${res.status} from ${base}: ${text.slice(0, 200)}`);
    return 2;
  }
  if (opts.json) {
    out(JSON.stringify(body, null, 2));
    return res.ok ? 0 : 1;
  }
  if ('status' in body && body.status === 'success' && body.data) {
    for (const w of body.warnings ?? []) err(`warning: ${w}`);
    out(formatQueryResult(body.data));
    return 0;
  }
  if ('status' in body && body.status === 'error') err(`${body.errorType}: ${body.error}`);
  else if ('error' in body && body.error) err(`${(body.error as { code?: string }).code ?? 'ERROR'}: ${(body.error as { message?: string }).message ?? ''} (HTTP ${res.status})`);
  else err(`HTTP ${res.status}`);
  return res.status === 401 || res.status === 403 ? 2 : 1;
}

export function registerQueryCommands(program: Command): void {
  program
    .command('query')
    .description('run a PromQL query on the platform')
    .argument('<promql>', 'PromQL expression')
    .option('--range <duration>', 'range query over the last <duration> (e.g. 1h); instant query when absent')
    .option('--step <duration>', 'resolution of a range query (default: range / 250)')
    .option('--time <time>', 'evaluation time (instant) or end (range): RFC 3339, Unix seconds or now-1h')
    .option('--json', 'print the raw Prometheus API response')
    .action(async (promql: string, opts: QueryCommandOptions, cmd: Command) => {
      const { url, token } = clientFor(cmd).config;
      const code = await runQuery(promql, { ...opts, json: opts.json || formatOf(cmd) === 'json' }, { target: { url, token } });
      if (code) process.exitCode = code;
    });
}
