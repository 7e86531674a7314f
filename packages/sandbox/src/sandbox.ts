// Every piece of user code (definition templates, health expressions, page functions, job
// scripts) runs here: QuickJS compiled to WebAssembly, one runtime per module with a memory cap,
// an interrupt deadline per call, and only JSON crossing the boundary. The code sees no Node.js,
// no network, no file system: only what a caller passes in as data or as explicit host functions.
import { getQuickJS, shouldInterruptAfterDeadline, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';
import { PlatformError } from '@sreworks/kernel';

export interface SandboxLimits {
  /** wall-clock budget of one call, ms (default 100). */
  timeoutMs?: number;
  /** heap cap of the runtime, bytes (default 32 MiB). */
  memoryBytes?: number;
  /** stack cap, bytes (default 512 KiB). */
  stackBytes?: number;
}

export type SandboxErrorKind = 'syntax' | 'timeout' | 'memory' | 'thrown' | 'output' | 'missing';

/** 422: the user's code is wrong or misbehaved. `details.kind` says how. */
export class SandboxError extends PlatformError {
  readonly kind: SandboxErrorKind;
  constructor(kind: SandboxErrorKind, message: string, details: Record<string, unknown> = {}) {
    super(`SANDBOX_${kind.toUpperCase()}`, 422, message, { kind, ...details });
    this.kind = kind;
  }
}

/** Host functions callable from the sandbox; arguments and results are JSON values. */
export type HostFunctions = Record<string, (...args: unknown[]) => unknown>;

export interface SandboxModule {
  /** names the module exports. */
  readonly exportNames: string[];
  /** call an exported function with JSON-serialisable arguments; returns its JSON result. */
  call(name: string, ...args: unknown[]): unknown;
  /** console output of the last call (at most 100 lines). */
  readonly logs: string[];
  dispose(): void;
}

const DEFAULTS = { timeoutMs: 100, memoryBytes: 32 * 1024 * 1024, stackBytes: 512 * 1024 };
const MAX_LOG_LINES = 100;

let quickjs: Promise<QuickJSWASMModule> | undefined;
function engine(): Promise<QuickJSWASMModule> {
  quickjs ??= getQuickJS();
  return quickjs;
}

/** Load the WebAssembly engine once; afterwards everything here is synchronous. */
export async function loadSandbox(): Promise<SandboxHost> {
  return new SandboxHost(await engine());
}

export class SandboxHost {
  constructor(private readonly qjs: QuickJSWASMModule) {}

  /**
   * Compile an ES module (e.g. `export function render({parameter, context}) {…}`) once; its
   * exports can then be called many times. Module state persists between calls of one module.
   */
  compileModule(code: string, opts: { filename?: string; limits?: SandboxLimits; host?: HostFunctions } = {}): SandboxModule {
    return new CompiledModule(this.qjs, code, opts.filename ?? 'module.js', { ...DEFAULTS, ...opts.limits }, opts.host ?? {});
  }

  /**
   * Evaluate a function body in a fresh context: `code` is the body of a function whose named
   * parameters are the keys of `scope` (e.g. `return data.items.map(i => i.name)`).
   */
  runFunction(code: string, scope: Record<string, unknown>, opts: { limits?: SandboxLimits; host?: HostFunctions } = {}): { value: unknown; logs: string[] } {
    const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
    const src = `export function main(${names.join(', ')}) {\n${code}\n}`;
    const m = this.compileModule(src, { filename: 'function.js', limits: opts.limits, host: opts.host });
    try {
      const value = m.call('main', ...names.map((n) => scope[n]));
      return { value, logs: [...m.logs] };
    } finally {
      m.dispose();
    }
  }

  /** Evaluate one expression against a scope (visibility rules, health policies, `$expr`). */
  evalExpression(expr: string, scope: Record<string, unknown>, limits?: SandboxLimits): unknown {
    return this.runFunction(`return (${expr}\n);`, scope, { limits }).value;
  }
}

class CompiledModule implements SandboxModule {
  private rt!: QuickJSRuntime;
  private ctx!: QuickJSContext;
  private ns!: QuickJSHandle;
  private nsPromise?: QuickJSHandle;
  private jsonParse!: QuickJSHandle;
  private jsonStringify!: QuickJSHandle;
  exportNames: string[] = [];
  logs: string[] = [];
  private poisoned = false;

  constructor(
    private readonly qjs: QuickJSWASMModule,
    private readonly code: string,
    private readonly filename: string,
    private readonly limits: Required<SandboxLimits>,
    private readonly host: HostFunctions,
  ) {
    this.boot();
  }

  private boot(): void {
    this.rt = this.qjs.newRuntime();
    this.rt.setMemoryLimit(this.limits.memoryBytes);
    this.rt.setMaxStackSize(this.limits.stackBytes);
    this.ctx = this.rt.newContext();
    const ctx = this.ctx;
    const json = ctx.getProp(ctx.global, 'JSON');
    this.jsonParse = ctx.getProp(json, 'parse');
    this.jsonStringify = ctx.getProp(json, 'stringify');
    json.dispose();
    this.installConsole();
    this.installHost();
    this.rt.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + this.limits.timeoutMs * 5));
    const r = ctx.evalCode(this.code, this.filename, { type: 'module' });
    if (r.error) {
      const err = this.describe(r.error);
      r.error.dispose();
      this.dispose();
      throw this.classify(err, true);
    }
    const state = ctx.getPromiseState(r.value);
    this.nsPromise = r.value; // the namespace handle lives as long as its promise
    if (state.type !== 'fulfilled') {
      if (state.type === 'pending') this.rt.executePendingJobs();
      const err = state.type === 'rejected' ? this.describe(state.error) : { name: 'Error', message: 'module did not finish loading' };
      if (state.type === 'rejected') state.error.dispose();
      this.dispose();
      throw this.classify(err, true);
    }
    this.ns = state.value;
    const keys = ctx.evalCode('(o) => Object.keys(o)');
    const arr = ctx.callFunction(keys.unwrap(), ctx.undefined, this.ns);
    keys.unwrap().dispose();
    this.exportNames = ctx.dump(arr.unwrap()) as string[];
    arr.unwrap().dispose();
  }

  private installConsole(): void {
    const ctx = this.ctx;
    const con = ctx.newObject();
    for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
      const fn = ctx.newFunction(level, (...args) => {
        if (this.logs.length < MAX_LOG_LINES) this.logs.push(`[${level}] ` + args.map((a) => String(ctx.dump(a))).join(' '));
      });
      ctx.setProp(con, level, fn);
      fn.dispose();
    }
    ctx.setProp(ctx.global, 'console', con);
    con.dispose();
  }

  private installHost(): void {
    const ctx = this.ctx;
    for (const [name, impl] of Object.entries(this.host)) {
      const fn = ctx.newFunction(name, (...args) => {
        const plain = args.map((a) => ctx.dump(a));
        try {
          return this.toVm(impl(...plain));
        } catch (e) {
          return { error: ctx.newError(e instanceof Error ? e.message : String(e)) };
        }
      });
      ctx.setProp(ctx.global, name, fn);
      fn.dispose();
    }
  }

  private toVm(v: unknown): QuickJSHandle {
    if (v === undefined) return this.ctx.undefined;
    const s = this.ctx.newString(JSON.stringify(v));
    const r = this.ctx.callFunction(this.jsonParse, this.ctx.undefined, s);
    s.dispose();
    return r.unwrap();
  }

  call(name: string, ...args: unknown[]): unknown {
    if (this.poisoned) {
      this.dispose();
      this.boot();
      this.poisoned = false;
    }
    if (!this.exportNames.includes(name)) throw new SandboxError('missing', `the code does not export a function "${name}"`, { exports: this.exportNames });
    this.logs = [];
    const ctx = this.ctx;
    const fn = ctx.getProp(this.ns, name);
    const handles: QuickJSHandle[] = [fn];
    try {
      let argHandles: QuickJSHandle[];
      try {
        argHandles = args.map((a) => this.toVm(a));
      } catch (e) {
        throw new SandboxError('memory', `arguments do not fit in the sandbox memory limit: ${(e as Error).message}`);
      }
      handles.push(...argHandles);
      this.rt.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + this.limits.timeoutMs));
      const r = ctx.callFunction(fn, ctx.undefined, ...argHandles);
      if (r.error) {
        const err = this.describe(r.error);
        r.error.dispose();
        this.poisoned = true; // a timeout or OOM may leave the heap half-mutated
        throw this.classify(err, false);
      }
      handles.push(r.value);
      const str = ctx.callFunction(this.jsonStringify, ctx.undefined, r.value);
      if (str.error) {
        const err = this.describe(str.error);
        str.error.dispose();
        throw new SandboxError('output', `the result is not JSON-serialisable: ${err.message}`);
      }
      handles.push(str.value);
      const text = ctx.typeof(str.value) === 'string' ? ctx.getString(str.value) : undefined;
      return text === undefined ? undefined : JSON.parse(text);
    } finally {
      for (const h of handles) if (h.alive) h.dispose();
    }
  }

  private describe(h: QuickJSHandle): { name: string; message: string; stack?: string } {
    const d = this.ctx.dump(h) as any;
    if (d && typeof d === 'object') return { name: String(d.name ?? 'Error'), message: String(d.message ?? JSON.stringify(d)), stack: d.stack };
    return { name: 'Error', message: String(d) };
  }

  private classify(err: { name: string; message: string; stack?: string }, loading: boolean): SandboxError {
    const where = err.stack ? firstFrame(err.stack, this.filename) : undefined;
    if (/interrupted/i.test(err.message)) return new SandboxError('timeout', `the code ran longer than ${this.limits.timeoutMs} ms and was stopped`, { limitMs: this.limits.timeoutMs });
    if (/out of memory/i.test(err.message) || (err.name === 'RangeError' && /stack/i.test(err.message)) || /stack overflow/i.test(err.message))
      return new SandboxError('memory', `the code exceeded its memory limit (${Math.round(this.limits.memoryBytes / 1048576)} MiB heap): ${err.message}`, { limitBytes: this.limits.memoryBytes });
    if (loading && err.name === 'SyntaxError') return new SandboxError('syntax', `syntax error: ${err.message}${where ? ` at ${where}` : ''}`, where ? { at: where } : {});
    return new SandboxError('thrown', `${err.name}: ${err.message}${where ? ` at ${where}` : ''}`, where ? { at: where } : {});
  }

  dispose(): void {
    for (const h of [this.ns, this.nsPromise, this.jsonParse, this.jsonStringify]) if (h?.alive) h.dispose();
    if (this.ctx?.alive) this.ctx.dispose();
    if (this.rt?.alive) this.rt.dispose();
  }
}

function firstFrame(stack: string, filename: string): string | undefined {
  const m = stack.match(new RegExp(`${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)(?::(\\d+))?`));
  return m ? `${filename}:${m[1]}${m[2] ? ':' + m[2] : ''}` : undefined;
}
