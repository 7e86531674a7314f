import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@sreworks/store';
import { testDialects } from '@sreworks/store/testing';
import { aiopsMigrations, jobFor, RunExecutor, RunStore } from '../src/index.js';

/** A pid that existed and has exited (a finished child), as a crashed server's would be. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

const lease = (owner: string, leaseMs = 60_000, timeoutMs = 600_000) => ({ owner, leaseMs, timeoutMs });

for (const dialect of testDialects()) {
  describe(`stale aiops runs on ${dialect.name}`, () => {
    let h: Awaited<ReturnType<typeof dialect.open>>;
    beforeAll(async () => {
      h = await dialect.open();
      await migrate(h.store, aiopsMigrations);
    });
    afterAll(async () => {
      await h?.dispose();
    });

    it('fails runs of gone processes, keeps live ones, times out overdue ones', async () => {
      const runs = new RunStore(h.store);
      const me = { id: `${hostname()}/${process.pid}/me`, host: hostname(), pid: process.pid };
      const legacy = await runs.create('periods', {}, { points: 3 }); // written before leases: no owner
      const crashed = await runs.create('periods', {}, { points: 3 }, undefined, lease(`${hostname()}/${deadPid()}/old`));
      const samePid = await runs.create('periods', {}, { points: 3 }, undefined, lease(`${hostname()}/${process.pid}/previous-instance`));
      const otherHost = await runs.create('periods', {}, { points: 3 }, undefined, lease('other-host/1234/x', 60_000));
      const mine = await runs.create('periods', {}, { points: 3 }, undefined, lease(me.id, 60_000, 1_000));
      const done = await runs.create('periods', {}, { points: 3 }, undefined, lease(`${hostname()}/${deadPid()}/old2`));
      await runs.finish(done.id, { output: { periods: [] }, durationMs: 1 });

      const now = new Date();
      const first = await runs.resolveStale(me, () => false, now);
      expect(first.map((r) => r.id).sort()).toEqual([legacy.id, crashed.id, samePid.id].sort());
      for (const id of [legacy.id, crashed.id, samePid.id]) {
        const r = (await runs.get(id))!.run;
        expect(r.status).toBe('failed');
        expect(r.error).toMatch(new RegExp(`^interrupted by a restart at ${now.toISOString().slice(0, 16)}`));
        expect(r.finishedAt).toBe(now.toISOString());
      }
      // a live process elsewhere keeps its run while its lease holds; a finished run is untouched
      expect((await runs.get(otherHost.id))!.run.status).toBe('running');
      expect((await runs.get(done.id))!.run.status).toBe('succeeded');
      expect((await runs.get(mine.id))!.run.status).toBe('running');

      // two minutes later: the other host stopped renewing, and our own run overran its deadline
      const later = new Date(now.getTime() + 120_000);
      const second = await runs.resolveStale(me, () => true, later);
      expect(second.map((r) => r.id).sort()).toEqual([otherHost.id, mine.id].sort());
      expect((await runs.get(otherHost.id))!.run.error).toMatch(/^interrupted by a restart at/);
      expect((await runs.get(mine.id))!.run.error).toMatch(/^timed out: still running 12\d s after it started/);
      // a late outcome does not overwrite the resolution
      expect(await runs.finish(mine.id, { output: { periods: [] }, durationMs: 5 })).toBe(false);
      expect((await runs.get(mine.id))!.run.status).toBe('failed');
      expect(await runs.resolveStale(me, () => false, later)).toEqual([]);
    });

    it('a renewed lease keeps a run of another live process running', async () => {
      const runs = new RunStore(h.store);
      const me = { id: `${hostname()}/${process.pid}/me2`, host: hostname(), pid: process.pid };
      const r = await runs.create('rca', {}, {}, undefined, lease('host-b/77/b', 1_000));
      await runs.renew('host-b/77/b', 60_000);
      expect(await runs.resolveStale(me, () => true, new Date(Date.now() + 30_000))).toEqual([]);
      expect((await runs.get(r.id))!.run.status).toBe('running');
    });
  });
}

describe('run executor (worker threads)', () => {
  const sqlite = testDialects().find((d) => d.name === 'sqlite')!;
  let h: Awaited<ReturnType<typeof sqlite.open>>;
  beforeAll(async () => {
    h = await sqlite.open();
    await migrate(h.store, aiopsMigrations);
  });
  afterAll(async () => {
    await h?.dispose();
  });
  // the Huber periodogram is O(n²): 8,000 points take many seconds, far past the timeouts below
  const slowBody = { values: Array.from({ length: 8000 }, (_, i) => Math.sin(i / 5) + ((i * 7919) % 13) / 13), periodogram: 'huber' };

  it('runs a job in a worker and records its output', async () => {
    const ex = new RunExecutor({ store: h.store });
    const body = { values: Array.from({ length: 600 }, (_, i) => Math.sin((2 * Math.PI * i) / 24)) };
    const job = jobFor('periods', body);
    const run = await ex.create('periods', job);
    const r = await ex.runInWorker(run, 'periods', body);
    expect(r.error).toBeUndefined();
    expect((r.output as { periods: { period: number }[] }).periods[0]!.period).toBe(24);
    const got = await ex.runs.get(run.id);
    expect(got!.run.status).toBe('succeeded');
    expect(got!.output).toEqual(r.output);
    await ex.stop();
  }, 60_000);

  it('keeps a bad parameter a 4xx error from inside the worker', async () => {
    const ex = new RunExecutor({ store: h.store });
    const body = { values: [1, 2, 3], detector: 'nsigma', params: { n: -1 } };
    const run = await ex.create('anomalies', jobFor('anomalies', body));
    const r = await ex.runInWorker(run, 'anomalies', body);
    expect((r.error as Error & { status?: number; code?: string }).status).toBe(400);
    expect((r.error as Error & { code?: string }).code).toBe('AIOPS_PARAMS_INVALID');
    expect((await ex.runs.get(run.id))!.run.status).toBe('failed');
    await ex.stop();
  }, 60_000);

  it('stops a run at its timeout and fails it', async () => {
    const ex = new RunExecutor({ store: h.store, timeoutMs: 1_500 });
    const run = await ex.create('periods', jobFor('periods', slowBody));
    const t0 = Date.now();
    const r = await ex.runInWorker(run, 'periods', slowBody);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.error!.message).toMatch(/^timed out: still running after 2 s/);
    // a synchronous request gets a 4xx naming the timeout (the input was too much), not a 500
    expect((r.error as Error & { status?: number; code?: string }).status).toBe(422);
    expect((r.error as Error & { code?: string }).code).toBe('AIOPS_RUN_TIMEOUT');
    const got = (await ex.runs.get(run.id))!.run;
    expect(got.status).toBe('failed');
    expect(got.error).toMatch(/^timed out/);
    await ex.stop();
  }, 60_000);

  it('fails the runs it is executing when stopped (shutdown)', async () => {
    const ex = new RunExecutor({ store: h.store });
    const run = await ex.create('periods', jobFor('periods', slowBody));
    const p = ex.runInWorker(run, 'periods', slowBody);
    await new Promise((r) => setTimeout(r, 300));
    await ex.stop();
    expect((await p).error!.message).toMatch(/^interrupted by a restart at/);
    expect(((await p).error as Error & { status?: number }).status).toBe(503);
    expect((await ex.runs.get(run.id))!.run.status).toBe('failed');
  }, 60_000);
});
