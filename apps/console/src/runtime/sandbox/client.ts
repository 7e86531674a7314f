// The page side of the sandbox: a Web Worker host with a watchdog. A call whose code keeps the
// worker busy past its CPU budget gets the worker terminated and a new one started; the page
// and every other call carry on (other in-flight calls are re-sent to the new worker).
import type { SandboxCall, SandboxResult } from './core.js';
import { DEFAULT_LIMITS } from './core.js';

export type { SandboxCall, SandboxResult, SandboxLimits, ElementDesc, LocationCopy } from './core.js';

export interface Sandbox {
  run(call: SandboxCall): Promise<SandboxResult>;
  /** number of times the worker was replaced (runaway code). */
  readonly restarts: number;
  dispose(): void;
}

export type HttpPolicy = (method: string, url: string, body?: unknown) => Promise<unknown>;

/** Minimal Worker surface so tests can drive the watchdog with a fake worker. */
export interface WorkerLike {
  postMessage(m: unknown): void;
  terminate(): void;
  onmessage: ((e: { data: any }) => void) | null;
  onerror?: ((e: unknown) => void) | null;
}

interface InFlight {
  call: SandboxCall;
  resolve(r: SandboxResult): void;
}

const GRACE_MS = 300;

export class WorkerSandbox implements Sandbox {
  private worker!: WorkerLike;
  private readonly calls = new Map<number, InFlight>();
  private nextId = 1;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** the call whose code the worker is executing right now, and since when. */
  private running: { id: number; since: number } | undefined;
  restarts = 0;

  constructor(
    private readonly createWorker: () => WorkerLike,
    private readonly http: HttpPolicy,
  ) {
    this.start();
  }

  private start(): void {
    this.running = undefined;
    this.worker = this.createWorker();
    this.worker.onmessage = (e) => this.onMessage(e.data);
    this.worker.onerror = () => this.restart('the sandbox worker crashed');
  }

  run(call: SandboxCall): Promise<SandboxResult> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.calls.set(id, { call, resolve });
      this.worker.postMessage({ type: 'call', id, call });
      this.timer ??= setInterval(() => this.watch(), 50);
    });
  }

  private onMessage(m: any): void {
    if (m?.type === 'slice') {
      this.running = { id: m.id, since: Date.now() };
    } else if (m?.type === 'sliceEnd') {
      if (this.running?.id === m.id) this.running = undefined;
    } else if (m?.type === 'result') {
      if (this.running?.id === m.id) this.running = undefined;
      const c = this.calls.get(m.id);
      if (!c) return;
      this.calls.delete(m.id);
      c.resolve(m.result as SandboxResult);
      this.idle();
    } else if (m?.type === 'http') {
      const worker = this.worker;
      this.http(m.method, m.url, m.body).then(
        (value) => worker === this.worker && worker.postMessage({ type: 'httpResult', reqId: m.reqId, ok: true, value }),
        (e) => worker === this.worker && worker.postMessage({ type: 'httpResult', reqId: m.reqId, ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
    }
  }

  /** The worker runs one piece of user code at a time; the piece running too long is blamed. */
  private watch(): void {
    const r = this.running;
    if (!r) return;
    const c = this.calls.get(r.id);
    const budget = c?.call.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
    if (Date.now() - r.since <= budget + GRACE_MS) return;
    this.calls.delete(r.id);
    c?.resolve({ ok: false, error: { kind: 'timeout', message: `the function ran longer than ${budget} ms and was stopped (sandbox restarted)` }, logs: [], storageWrites: {} });
    this.restart();
  }

  private restart(reason?: string): void {
    this.restarts++;
    this.worker.onmessage = null;
    this.worker.terminate();
    this.start();
    // innocent calls that were in the old worker start again in the new one
    for (const [id, c] of this.calls) {
      if (reason) {
        this.calls.delete(id);
        c.resolve({ ok: false, error: { kind: 'thrown', message: reason }, logs: [], storageWrites: {} });
        continue;
      }
      this.worker.postMessage({ type: 'call', id, call: c.call });
    }
    this.idle();
  }

  private idle(): void {
    if (this.calls.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.worker.terminate();
  }
}

/** Only the platform API is reachable from page code: same origin, paths under /api/. */
export function platformHttp(request: (method: string, url: string, body?: unknown) => Promise<unknown>, origin: string): HttpPolicy {
  return async (method, url, body) => {
    let u: URL;
    try {
      u = new URL(url, origin + '/');
    } catch {
      throw new Error(`not a URL: ${url}`);
    }
    if (u.origin !== origin) throw new Error(`blocked: page code may only call the platform API, not ${u.origin}`);
    if (!u.pathname.startsWith('/api/')) throw new Error(`blocked: page code may only call /api/ paths, not ${u.pathname}`);
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw new Error(`method ${method} not allowed`);
    return request(method, u.pathname + u.search, body);
  };
}

export function browserSandbox(http: HttpPolicy): Sandbox {
  return new WorkerSandbox(() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike, http);
}
