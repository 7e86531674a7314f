// The CLI's API client: base URL and token from flags, environment (SREWORKS_URL,
// SREWORKS_TOKEN) or the config file written by `sreworks login` (mode 0600).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';

export interface CliConfig {
  url: string;
  token?: string;
}

export function configPath(env = process.env): string {
  return env.SREWORKS_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sreworks', 'config.json');
}

export function loadCliConfig(env = process.env): CliConfig {
  let file: Partial<CliConfig> = {};
  const p = configPath(env);
  if (existsSync(p)) file = JSON.parse(readFileSync(p, 'utf8'));
  return { url: (env.SREWORKS_URL ?? file.url ?? 'http://127.0.0.1:7001').replace(/\/$/, ''), token: env.SREWORKS_TOKEN ?? file.token };
}

export function saveCliConfig(c: CliConfig, env = process.env): string {
  const p = configPath(env);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, JSON.stringify(c, null, 2) + '\n', { mode: 0o600 });
  chmodSync(p, 0o600);
  return p;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export class ApiClient {
  constructor(readonly config: CliConfig) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.config.token) h.authorization = `Bearer ${this.config.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(this.config.url + path, { method, headers: h, body: payload });
    } catch (e) {
      throw new ApiError(0, 'CLI_UNREACHABLE', `cannot reach ${this.config.url}: ${(e as Error).message}`);
    }
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const err = (json as any)?.error;
      const msg = typeof err === 'string' ? err : err?.message ?? `${res.status} ${res.statusText}`;
      throw new ApiError(res.status, err?.code ?? (json as any)?.errorType ?? 'HTTP_' + res.status, msg, err?.details);
    }
    return json as T;
  }

  /** all pages of a list endpoint */
  async list<T = any>(path: string): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await this.request('GET', path + (cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''));
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }
}

function safeJson(t: string): unknown {
  try {
    return JSON.parse(t);
  } catch {
    return { error: { message: t.slice(0, 500) } };
  }
}

/** The API client for a command: --url/--token, else the environment or the saved login. */
export function clientFor(cmd: Command): ApiClient {
  const o = cmd.optsWithGlobals() as { url?: string; token?: string };
  const c = loadCliConfig();
  return new ApiClient({ url: (o.url ?? c.url).replace(/\/$/, ''), token: o.token ?? c.token });
}
