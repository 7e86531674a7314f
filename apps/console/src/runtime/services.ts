// What a rendered page may use: the API client, the sandbox, the widget registry and a few
// shell callbacks. Passed down through React context; tests build their own.
import { createContext, useContext } from 'react';
import type { ApiClient } from './api.js';
import type { Sandbox, SandboxLimits, LocationCopy, ElementDesc } from './sandbox/client.js';
import type { WidgetRegistry } from './widgets.js';

export interface RuntimeServices {
  api: ApiClient;
  sandbox: Sandbox;
  registry: WidgetRegistry;
  lang: 'en' | 'zh';
  /** in-app navigation (react-router's navigate). */
  navigate(to: string, opts?: { replace?: boolean; newTab?: boolean }): void;
  location(): LocationCopy;
  /** toast messages. */
  notify(level: 'success' | 'info' | 'warning' | 'error', text: string): void;
  /** persistent storage behind the sandbox `storage` capability. */
  storage?: Storage;
}

export const ServicesContext = createContext<RuntimeServices | null>(null);

export function useServices(): RuntimeServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('runtime services missing: render pages inside <ServicesContext.Provider>');
  return s;
}

export class UserCodeError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly logs: string[] = [],
  ) {
    super(message);
    this.name = 'UserCodeError';
  }
}

const STORAGE_PREFIX = 'sw.page.';

function storageSnapshot(s: Storage | undefined, ns: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!s) return out;
  const prefix = `${STORAGE_PREFIX}${ns}.`;
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    if (!k?.startsWith(prefix)) continue;
    try {
      out[k.slice(prefix.length)] = JSON.parse(s.getItem(k) ?? 'null');
    } catch {
      /* not ours */
    }
  }
  return out;
}

export interface CodeOptions {
  /** storage namespace: the page ("system/users"). */
  ns: string;
  limits?: Partial<SandboxLimits>;
}

async function call(svc: RuntimeServices, request: Parameters<Sandbox['run']>[0]['request'], opts: CodeOptions): Promise<unknown> {
  const r = await svc.sandbox.run({ request, limits: opts.limits, location: svc.location(), storage: storageSnapshot(svc.storage, opts.ns) });
  if (svc.storage) {
    for (const [k, v] of Object.entries(r.storageWrites ?? {})) {
      const key = `${STORAGE_PREFIX}${opts.ns}.${k}`;
      if (v === null) svc.storage.removeItem(key);
      else svc.storage.setItem(key, JSON.stringify(v));
    }
  }
  if (!r.ok) throw new UserCodeError(r.error?.kind ?? 'thrown', r.error?.message ?? 'the function failed', r.logs);
  return r.value;
}

/** Runs a user function (`function f(a, b) {…}`, an arrow, or a body using `argNames`). */
export function runFunction(svc: RuntimeServices, code: string, args: unknown[], argNames: string[], opts: CodeOptions): Promise<unknown> {
  return call(svc, { op: 'fn', code, args: toJson(args) as unknown[], argNames }, opts);
}

export function evalExpression(svc: RuntimeServices, code: string, scope: Record<string, unknown>, opts: CodeOptions): Promise<unknown> {
  return call(svc, { op: 'expr', code, scope: toJson(scope) as Record<string, unknown> }, opts);
}

export async function evalJsx(svc: RuntimeServices, code: string, scope: Record<string, unknown>, opts: CodeOptions): Promise<ElementDesc> {
  return (await call(svc, { op: 'jsx', code, scope: toJson(scope) as Record<string, unknown> }, opts)) as ElementDesc;
}

/** JSON copy for the worker boundary: functions dropped, cycles cut (shared objects kept). */
function toJson(v: unknown): unknown {
  const path = new Set<object>();
  const walk = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return typeof x === 'function' || typeof x === 'symbol' ? undefined : typeof x === 'bigint' ? Number(x) : x;
    if (path.has(x)) return undefined;
    if (typeof (x as { toJSON?: unknown }).toJSON === 'function') return walk((x as { toJSON(): unknown }).toJSON());
    path.add(x);
    try {
      if (Array.isArray(x)) return x.map((i) => walk(i) ?? null);
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) {
        const w = walk(val);
        if (w !== undefined) out[k] = w;
      }
      return out;
    } finally {
      path.delete(x);
    }
  };
  return walk(v) ?? null;
}
