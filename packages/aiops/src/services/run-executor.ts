// Executes AIOps runs and keeps their rows honest. Small inputs run in the request; large ones in
// a worker thread, so the event loop stays free (lease renewals, other requests) and a run that
// overruns its timeout can be stopped (worker.terminate) instead of holding a core forever.
// Every run carries this process as owner with a lease renewed while it executes; `start()` (the
// module's start hook) and a periodic sweep fail the runs of processes that are gone.
import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import { newId, PlatformError, type ErrorDetails } from '@sreworks/kernel';
import type { Store } from '@sreworks/store';
import type { Job } from './jobs.js';
import { RunStore, type Run, type RunKind, type RunOwner } from './runs.js';

export interface RunExecutorOptions {
  store: Store;
  /** a run still running after this long is stopped and failed (default 15 min). */
  timeoutMs?: number;
  /** lease of a running run; renewed every third of it (default 30 s). */
  leaseMs?: number;
  /** how often the sweep for abandoned and overdue runs repeats after start() (default: leaseMs). */
  sweepMs?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export type RunOutcome = { output?: unknown; error?: Error };

/** Whether a pid on this host is alive (signal 0 only checks). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunExecutor {
  readonly runs: RunStore;
  readonly owner: RunOwner;
  readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private readonly log: RunExecutorOptions['log'];
  /** runs executing here → how to stop them */
  private readonly active = new Map<string, { stop: (reason: string) => void; done: Promise<void> }>();
  private renewTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(opts: RunExecutorOptions) {
    this.runs = new RunStore(opts.store);
    this.timeoutMs = opts.timeoutMs ?? 15 * 60_000;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.sweepMs = opts.sweepMs ?? this.leaseMs;
    this.log = opts.log;
    const host = hostname();
    this.owner = { id: `${host}/${process.pid}/${newId()}`, host, pid: process.pid };
  }

  /** Resolves runs left running by earlier processes, then sweeps periodically. */
  async start(): Promise<void> {
    await this.sweep();
    if (!this.sweepTimer && !this.closed) {
      this.sweepTimer = setInterval(() => void this.sweep().catch((err) => this.log?.error({ err }, 'aiops run sweep failed')), this.sweepMs);
      this.sweepTimer.unref();
    }
  }

  /** One pass: fails runs whose process is gone or whose deadline passed. */
  async sweep(now = new Date()): Promise<{ id: string; error: string }[]> {
    const resolved = await this.runs.resolveStale(this.owner, pidAlive, now);
    for (const r of resolved) {
      this.active.get(r.id)?.stop(r.error);
      this.log?.warn({ run: r.id, reason: r.error }, 'aiops run resolved as failed');
    }
    return resolved;
  }

  /** Stops the sweep and every run executing here; their rows are failed as interrupted. */
  async stop(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    clearInterval(this.renewTimer);
    const at = new Date().toISOString();
    const running = [...this.active.entries()];
    for (const [, a] of running) {
      a.stop(`interrupted by a restart at ${at}: the server stopped before the run finished; submit it again`);
    }
    await Promise.allSettled(running.map(([, a]) => a.done));
  }

  /** Records a run owned by this process (status running, lease, deadline). */
  async create(kind: RunKind, job: Job, createdBy?: string): Promise<Run> {
    return this.runs.create(kind, job.params, job.summary, createdBy, { owner: this.owner.id, leaseMs: this.leaseMs, timeoutMs: this.timeoutMs });
  }

  /** Runs a small job in this thread and records its outcome. */
  async runInline(run: Run, job: Job): Promise<RunOutcome> {
    const t0 = performance.now();
    try {
      const output = job.exec();
      await this.runs.finish(run.id, { output, durationMs: performance.now() - t0 });
      return { output };
    } catch (e) {
      await this.runs.finish(run.id, { error: (e as Error).message, durationMs: performance.now() - t0 });
      return { error: e as Error };
    }
  }

  /**
   * Runs a job in a worker thread from its (kind, body) and records the outcome; resolves when
   * the row is final. The worker is terminated at the timeout, at stop(), or when a sweep of
   * another process failed the run.
   */
  runInWorker(run: Run, kind: RunKind, body: unknown): Promise<RunOutcome> {
    const t0 = performance.now();
    let settle!: (r: RunOutcome) => void;
    const result = new Promise<RunOutcome>((resolve) => (settle = resolve));
    let finished = false;
    const worker = new Worker(new URL('./run-worker-entry.mjs', import.meta.url), { workerData: { kind, body } });
    type Answer = { output?: unknown; error?: string; platform?: { code: string; status: number; details?: ErrorDetails | ErrorDetails[] } };
    // failed by the timeout (the input was too much to finish: 422) or by a stop (shutdown: 503)
    const end = async (outcome: Answer, failFirst?: string, failCode: 'AIOPS_RUN_TIMEOUT' | 'AIOPS_RUN_STOPPED' = 'AIOPS_RUN_STOPPED') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      void worker.terminate();
      try {
        // a stop or timeout fails the row even if another sweep got there first (no-op then)
        if (failFirst !== undefined) await this.runs.fail(run.id, failFirst);
        else await this.runs.finish(run.id, { output: outcome.output, error: outcome.error, durationMs: performance.now() - t0 });
      } catch (err) {
        this.log?.error({ err, run: run.id }, 'aiops run could not be recorded');
      } finally {
        this.active.delete(run.id);
        if (this.active.size === 0) clearInterval(this.renewTimer);
        if (failFirst !== undefined) settle({ error: new PlatformError(failCode, failCode === 'AIOPS_RUN_TIMEOUT' ? 422 : 503, failFirst, { field: 'body' }) });
        else if (outcome.error === undefined) settle({ output: outcome.output });
        else {
          const p = outcome.platform;
          settle({ error: p ? new PlatformError(p.code, p.status, outcome.error, p.details) : new Error(outcome.error) });
        }
      }
    };
    const timer = setTimeout(() => {
      const s = Math.round(this.timeoutMs / 1000);
      void end({}, `timed out: still running after ${s} s (the run timeout) at ${new Date().toISOString()}; submit a smaller input`, 'AIOPS_RUN_TIMEOUT');
    }, this.timeoutMs);
    timer.unref();
    worker.on('message', (m: Answer) => void end(m));
    worker.on('error', (err) => void end({ error: err.message }));
    worker.on('exit', (code) => void end({ error: `the run's worker exited (code ${code}) before answering` }));
    const done = result.then(() => undefined);
    this.active.set(run.id, { stop: (reason) => void end({}, reason), done });
    if (!this.renewTimer || this.active.size === 1) {
      clearInterval(this.renewTimer);
      this.renewTimer = setInterval(() => void this.runs.renew(this.owner.id, this.leaseMs).catch((err) => this.log?.warn({ err }, 'aiops run lease renewal failed')), Math.max(10, this.leaseMs / 3));
      this.renewTimer.unref();
    }
    return result;
  }
}
