// The evaluator that runs inside the sandbox Web Worker (and in-process in unit tests): every
// page function, expression and JSX template runs in a fresh QuickJS runtime with a memory cap
// and an interrupt deadline. Only JSON crosses the boundary. The code sees exactly these
// capabilities: `http` (platform API through the page, which refuses other origins), a frozen
// copy of `location`, a namespaced `storage`, `console`, and `h`/`Fragment` for JSX.
import { shouldInterruptAfterDeadline, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule, type QuickJSDeferredPromise } from 'quickjs-emscripten-core';

export interface SandboxLimits {
  /** CPU budget of one call (ms). */
  timeoutMs: number;
  memoryBytes: number;
  stackBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutMs: 1000, memoryBytes: 32 * 1024 * 1024, stackBytes: 512 * 1024 };

export interface LocationCopy {
  href: string;
  origin: string;
  pathname: string;
  search: string;
  hash: string;
  query: Record<string, string>;
}

export type SandboxRequest =
  | { op: 'fn'; code: string; args: unknown[]; argNames?: string[] }
  | { op: 'expr'; code: string; scope: Record<string, unknown> }
  | { op: 'jsx'; code: string; scope: Record<string, unknown> };

export interface SandboxCall {
  request: SandboxRequest;
  limits?: Partial<SandboxLimits>;
  location?: LocationCopy;
  /** storage namespace snapshot (key → JSON value); changes come back in `storageWrites`. */
  storage?: Record<string, unknown>;
}

export interface SandboxResult {
  ok: boolean;
  value?: unknown;
  error?: { kind: 'syntax' | 'timeout' | 'memory' | 'thrown' | 'output' | 'capability'; message: string };
  logs: string[];
  storageWrites: Record<string, unknown | null>;
}

export interface SandboxHostBridge {
  /** performs an HTTP call for the sandbox; the page decides what is allowed. */
  http(method: string, url: string, body?: unknown): Promise<unknown>;
  /** told when user code starts and stops running synchronously (the watchdog blames by it). */
  slice?(running: boolean): void;
}

/** JSX element description produced in the sandbox. */
export interface ElementDesc {
  type: string;
  props: Record<string, unknown> | null;
  children: unknown[];
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['http', 'location', 'storage', 'console', 'h', 'Fragment', 'httpClient', 'ctx']);

// Preamble run in every context: the http client and JSX factory, written in the sandbox's own
// JavaScript so their promises and objects live in the sandbox realm.
const PRELUDE = `
(function (g) {
  const raw = g.__sw_http; delete g.__sw_http;
  const req = (method) => (url, a, b) => {
    let body = a;
    if (method === 'GET' || method === 'DELETE') {
      if (a && typeof a === 'object') {
        const qs = Object.keys(a).filter((k) => a[k] !== undefined && a[k] !== null).map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(typeof a[k] === 'object' ? JSON.stringify(a[k]) : String(a[k]))).join('&');
        if (qs) url = url + (url.indexOf('?') >= 0 ? '&' : '?') + qs;
      }
      body = undefined;
    }
    return raw(method, String(url), body === undefined ? undefined : JSON.stringify(body)).then((t) => t === undefined ? undefined : JSON.parse(t));
  };
  const http = Object.freeze({ get: req('GET'), post: req('POST'), put: req('PUT'), patch: req('PATCH'), delete: req('DELETE'), request: (m, u, b) => req(String(m).toUpperCase())(u, b) });
  Object.defineProperty(g, 'http', { value: http, enumerable: true });
  Object.defineProperty(g, 'httpClient', { value: http, enumerable: true });
  const ns = (prefix) => new Proxy({}, { get: (_t, k) => typeof k === 'string' ? prefix + k : undefined });
  Object.defineProperty(g, 'antd', { value: ns('antd.') });
  Object.defineProperty(g, 'common', { value: ns('common.') });
  Object.defineProperty(g, 'icon', { value: ns('icon.') });
  Object.defineProperty(g, 'Fragment', { value: 'Fragment' });
  const flat = (list, out) => { for (const c of list) { if (Array.isArray(c)) flat(c, out); else if (c !== null && c !== undefined && c !== false && c !== true) out.push(c); } return out; };
  Object.defineProperty(g, 'h', { value: function h(type, props, ...children) {
    if (typeof type === 'function') return type(Object.assign({}, props, { children: flat(children, []) }));
    return { type: String(type), props: props || null, children: flat(children, []) };
  } });
})(globalThis);
`;

function isFunctionSource(code: string): boolean {
  const t = code.trim();
  return /^(async\s+)?function\b/.test(t) || /^(async\s*)?(\([^()]*\)|[A-Za-z_$][\w$]*)\s*=>/.test(t);
}

export class SandboxCore {
  constructor(
    private readonly qjs: QuickJSWASMModule,
    private readonly bridge: SandboxHostBridge,
    private readonly compileJsx: (source: string) => string,
  ) {}

  /** Runs one call; `bridge` overrides the default host bridge for this call only. */
  async run(call: SandboxCall, bridge: SandboxHostBridge = this.bridge): Promise<SandboxResult> {
    const limits = { ...DEFAULT_LIMITS, ...call.limits };
    const logs: string[] = [];
    const storage = { ...(call.storage ?? {}) };
    const storageWrites: Record<string, unknown | null> = {};
    let source: string;
    let args: unknown[];
    try {
      ({ source, args } = this.prepare(call.request));
    } catch (e) {
      return { ok: false, error: { kind: 'syntax', message: (e as Error).message }, logs, storageWrites };
    }
    const rt: QuickJSRuntime = this.qjs.newRuntime();
    rt.setMemoryLimit(limits.memoryBytes);
    rt.setMaxStackSize(limits.stackBytes);
    // the CPU deadline counts only time spent executing inside the sandbox
    let cpuUsed = 0;
    let sliceStart = 0;
    const startSlice = () => {
      bridge.slice?.(true);
      sliceStart = Date.now();
      rt.setInterruptHandler(shouldInterruptAfterDeadline(sliceStart + Math.max(1, limits.timeoutMs - cpuUsed)));
    };
    const endSlice = () => {
      cpuUsed += Date.now() - sliceStart;
      bridge.slice?.(false);
    };
    const ctx: QuickJSContext = rt.newContext();
    const pending = new Set<QuickJSDeferredPromise>();
    let wake: (() => void) | undefined;
    const handles: QuickJSHandle[] = [];
    try {
      this.install(ctx, bridge, call, logs, storage, storageWrites, pending, () => wake?.());
      startSlice();
      const pre = ctx.evalCode(PRELUDE, 'prelude.js');
      if (pre.error) throw new Error('sandbox prelude failed: ' + JSON.stringify(ctx.dump(pre.error)));
      pre.value.dispose();
      const fnRes = ctx.evalCode(source, 'user.js');
      if (fnRes.error) {
        const err = this.describe(ctx, fnRes.error);
        fnRes.error.dispose();
        return { ok: false, error: classify(err, limits, true), logs, storageWrites };
      }
      handles.push(fnRes.value);
      const argHandles = args.map((a) => toVm(ctx, a));
      handles.push(...argHandles);
      const r = ctx.callFunction(fnRes.value, ctx.undefined, ...argHandles);
      if (r.error) {
        const err = this.describe(ctx, r.error);
        r.error.dispose();
        return { ok: false, error: classify(err, limits, false), logs, storageWrites };
      }
      handles.push(r.value);
      let result = r.value;
      rt.executePendingJobs();
      endSlice();
      // async code: settle host promises as they come back, run the sandbox's jobs, repeat
      if (ctx.typeof(result) === 'object') {
        for (;;) {
          const st = ctx.getPromiseState(result);
          if (st.type === 'fulfilled') {
            if (st.notAPromise) break;
            result = st.value;
            handles.push(result);
            break;
          }
          if (st.type === 'rejected') {
            const err = this.describe(ctx, st.error);
            st.error.dispose();
            return { ok: false, error: classify(err, limits, false), logs, storageWrites };
          }
          if (pending.size === 0) return { ok: false, error: { kind: 'thrown', message: 'the function returned a promise that never settles' }, logs, storageWrites };
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          startSlice();
          const jobs = rt.executePendingJobs();
          endSlice();
          if (jobs.error) {
            const err = this.describe(ctx, jobs.error);
            jobs.error.dispose();
            return { ok: false, error: classify(err, limits, false), logs, storageWrites };
          }
          if (cpuUsed >= limits.timeoutMs) return { ok: false, error: classify({ name: 'InternalError', message: 'interrupted' }, limits, false), logs, storageWrites };
        }
      }
      const json = ctx.getProp(ctx.global, 'JSON');
      const stringify = ctx.getProp(json, 'stringify');
      json.dispose();
      const s = ctx.callFunction(stringify, ctx.undefined, result);
      stringify.dispose();
      if (s.error) {
        const err = this.describe(ctx, s.error);
        s.error.dispose();
        return { ok: false, error: { kind: 'output', message: `the result is not JSON: ${err.message}` }, logs, storageWrites };
      }
      const text = ctx.typeof(s.value) === 'string' ? ctx.getString(s.value) : undefined;
      s.value.dispose();
      return { ok: true, value: text === undefined ? undefined : JSON.parse(text), logs, storageWrites };
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      return { ok: false, error: classify({ name: 'Error', message: msg }, limits, false), logs, storageWrites };
    } finally {
      bridge.slice?.(false);
      for (const d of pending) if (d.alive) d.dispose();
      for (const h of handles) if (h.alive) h.dispose();
      try {
        ctx.dispose();
        rt.dispose();
      } catch {
        /* a runtime that ran out of memory may refuse a clean dispose; the worker is cheap to replace */
      }
    }
  }

  private prepare(req: SandboxRequest): { source: string; args: unknown[] } {
    if (req.op === 'fn') {
      // SREWorks handlers take the http client as their last parameter (afterResponse(respData,
      // nodeParams, httpClient)): pass it after the data arguments
      if (isFunctionSource(req.code)) return { source: `(function () { const f = (${req.code.trim()}
); return function (...a) { return f(...a, globalThis.http); }; })()`, args: req.args };
      const names = (req.argNames ?? []).filter((n) => IDENT.test(n) && !RESERVED.has(n));
      return { source: `(async function (${names.join(', ')}) {\n${req.code}\n})`, args: req.args.slice(0, names.length) };
    }
    const names = Object.keys(req.scope).filter((n) => IDENT.test(n) && !RESERVED.has(n));
    const values = names.map((n) => req.scope[n]);
    if (req.op === 'expr') return { source: `(function (${names.join(', ')}) { return (${req.code}\n); })`, args: values };
    const compiled = this.compileJsx(req.code);
    return { source: `(function (${names.join(', ')}) { return (${compiled}\n); })`, args: values };
  }

  private install(
    ctx: QuickJSContext,
    bridge: SandboxHostBridge,
    call: SandboxCall,
    logs: string[],
    storage: Record<string, unknown>,
    writes: Record<string, unknown | null>,
    pending: Set<QuickJSDeferredPromise>,
    wake: () => void,
  ): void {
    const con = ctx.newObject();
    for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
      const fn = ctx.newFunction(level, (...a) => {
        if (logs.length < 100) logs.push(`[${level}] ` + a.map((x) => safeText(ctx.dump(x))).join(' '));
      });
      ctx.setProp(con, level, fn);
      fn.dispose();
    }
    ctx.setProp(ctx.global, 'console', con);
    con.dispose();

    const http = ctx.newFunction('__sw_http', (m, u, b) => {
      const method = String(ctx.dump(m)).toUpperCase();
      const url = String(ctx.dump(u));
      const bodyText = ctx.typeof(b) === 'string' ? ctx.getString(b) : undefined;
      const d = ctx.newPromise();
      pending.add(d);
      bridge
        .http(method, url, bodyText === undefined ? undefined : JSON.parse(bodyText))
        .then(
          (v) => {
            if (!d.alive) return;
            const s = ctx.newString(v === undefined ? '' : JSON.stringify(v));
            if (v === undefined) {
              d.resolve(ctx.undefined);
            } else d.resolve(s);
            s.dispose();
          },
          (e) => {
            if (!d.alive) return;
            const err = ctx.newError(e instanceof Error ? e.message : String(e));
            d.reject(err);
            err.dispose();
          },
        )
        .finally(() => {
          pending.delete(d);
          if (d.alive) d.dispose();
          wake();
        });
      return d.handle;
    });
    ctx.setProp(ctx.global, '__sw_http', http);
    http.dispose();

    const loc = toVm(ctx, call.location ?? { href: '', origin: '', pathname: '', search: '', hash: '', query: {} });
    const freeze = ctx.evalCode('(o) => { Object.freeze(o.query); return Object.freeze(o); }').unwrap();
    const frozen = ctx.callFunction(freeze, ctx.undefined, loc).unwrap();
    ctx.setProp(ctx.global, 'location', frozen);
    for (const h of [loc, freeze, frozen]) h.dispose();

    const st = ctx.newObject();
    const get = ctx.newFunction('get', (k) => toVm(ctx, storage[String(ctx.dump(k))] ?? null));
    const set = ctx.newFunction('set', (k, v) => {
      const key = String(ctx.dump(k));
      const value = ctx.dump(v);
      const size = JSON.stringify(value ?? null).length;
      if (size > 64 * 1024) throw new Error('storage values are limited to 64 KiB');
      storage[key] = value;
      writes[key] = value;
    });
    const remove = ctx.newFunction('remove', (k) => {
      const key = String(ctx.dump(k));
      delete storage[key];
      writes[key] = null;
    });
    const keys = ctx.newFunction('keys', () => toVm(ctx, Object.keys(storage)));
    for (const [n, f] of [['get', get], ['set', set], ['remove', remove], ['keys', keys]] as const) {
      ctx.setProp(st, n, f);
      f.dispose();
    }
    ctx.setProp(ctx.global, 'storage', st);
    st.dispose();
  }

  private describe(ctx: QuickJSContext, h: QuickJSHandle): { name: string; message: string } {
    const d = ctx.dump(h) as any;
    if (d && typeof d === 'object') return { name: String(d.name ?? 'Error'), message: String(d.message ?? safeText(d)) };
    return { name: 'Error', message: String(d) };
  }
}

function toVm(ctx: QuickJSContext, v: unknown): QuickJSHandle {
  if (v === undefined) return ctx.undefined;
  const s = ctx.newString(JSON.stringify(v));
  const json = ctx.getProp(ctx.global, 'JSON');
  const parse = ctx.getProp(json, 'parse');
  const r = ctx.callFunction(parse, ctx.undefined, s);
  for (const h of [s, json, parse]) h.dispose();
  return r.unwrap();
}

function safeText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function classify(err: { name: string; message: string }, limits: SandboxLimits, loading: boolean): NonNullable<SandboxResult['error']> {
  if (/interrupted/i.test(err.message)) return { kind: 'timeout', message: `the function ran longer than ${limits.timeoutMs} ms and was stopped` };
  if (/out of memory|stack overflow|Maximum call stack/i.test(err.message)) return { kind: 'memory', message: `the function exceeded its memory limit (${Math.round(limits.memoryBytes / 1048576)} MiB): ${err.message}` };
  if (loading && err.name === 'SyntaxError') return { kind: 'syntax', message: `syntax error: ${err.message}` };
  return { kind: 'thrown', message: `${err.name}: ${err.message}` };
}
