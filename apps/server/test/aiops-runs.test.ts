import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@sreworks/kernel';
import { buildPlatform } from '../src/app.js';
import { ensureAdmin } from '../src/bootstrap.js';
import { spawnServer } from './spawn-server.js';

// AIOps runs interrupted by a restart do not stay "running": a new process resolves them in the
// aiops module's start hook (the path main.ts takes: buildPlatform, then startWorkers).
const PASSWORD = 'aiops-restart-password-1';

async function platformOn(dir: string) {
  const config = loadConfig({ SREWORKS_DATA_DIR: dir, SREWORKS_SECRET_KEY: 'test-secret', SREWORKS_LOG_LEVEL: 'warn' });
  const platform = await buildPlatform(config, { logger: false });
  await ensureAdmin(platform.identity, PASSWORD, () => {});
  const r = await platform.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const cookies = r.cookies as Array<{ name: string; value: string }>;
  const csrf = cookies.find((c) => c.name === 'sw_csrf')!.value;
  const headers = { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': csrf };
  return { platform, headers };
}

const startServer = (dir: string, port: number) => spawnServer(dir, port, PASSWORD);

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('aiops runs across a restart', () => {
  it('the start hook fails runs a previous process left running; the runs page API shows them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-aiops-runs-'));
    try {
      // first process: a run recorded as running when the process went away (row written as
      // the routes write it, then the process ends without finishing it)
      const a = await platformOn(dir);
      const { RunExecutor, jobFor } = await import('@sreworks/aiops');
      const crashed = new RunExecutor({ store: a.platform.store });
      const body = { values: [1, 2, 3, 4], periodogram: 'ls' };
      const left = await crashed.create('periods', jobFor('periods', body), 'someone');
      // another replica's run, lease fresh and held by a live process elsewhere: must stay running
      const elsewhere = await a.platform.store.db
        .insertInto('aiops_run')
        .values({ id: 'zz-elsewhere', kind: 'rca', status: 'running', params: '{}', input_summary: '{}', created_at: new Date().toISOString(), owner: 'other-host/1/x', lease_until: new Date(Date.now() + 600_000).toISOString(), deadline_at: new Date(Date.now() + 900_000).toISOString() })
        .execute();
      expect(elsewhere).toBeDefined();
      await a.platform.app.close(); // no module stop(): the process is gone, not shut down
      await a.platform.store.close();

      // second process on the same data: still "running" until the start hook runs
      const b = await platformOn(dir);
      try {
        const before = await b.platform.app.inject({ method: 'GET', url: `/api/aiops/runs/${left.id}`, headers: b.headers });
        expect(before.json().run.status).toBe('running');
        // a new instance in the same process (pid reused, as in a restarted container)
        await b.platform.startWorkers();
        const got = await b.platform.app.inject({ method: 'GET', url: `/api/aiops/runs/${left.id}`, headers: b.headers });
        expect(got.statusCode).toBe(200);
        const run = got.json().run;
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(/^interrupted by a restart at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z: the process running it stopped before it finished; submit it again$/);
        expect(run.finishedAt).toBeTruthy();
        expect(run.params).toEqual({ periodogram: 'ls' });
        expect(run.createdBy).toBe('someone');
        // what the console's runs page reads (ops-apps/aiops/pages/runs.json: GET /api/aiops/runs,
        // status as a badge, error column)
        const list = await b.platform.app.inject({ method: 'GET', url: '/api/aiops/runs?limit=50', headers: b.headers });
        expect(list.statusCode).toBe(200);
        const rows = list.json().items as { id: string; status: string; error: string | null }[];
        expect(rows.find((r) => r.id === left.id)).toMatchObject({ status: 'failed', error: run.error });
        expect(rows.find((r) => r.id === 'zz-elsewhere')).toMatchObject({ status: 'running', error: null });
      } finally {
        await b.platform.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a background run killed with the server (kill -9) is failed by the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-aiops-kill-'));
    const port = 19000 + Math.floor(Math.random() * 1000);
    const base = `http://127.0.0.1:${port}`;
    const login = async () => {
      const r = await fetch(base + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      if (r.status !== 200) return undefined;
      const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const { csrfToken } = (await r.json()) as { csrfToken: string };
      return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    };
    try {
      const a = startServer(dir, port);
      try {
        const h = await until('first server', login);
        // the Huber periodogram on 15k points runs for minutes: still running when killed
        const values = Array.from({ length: 15_000 }, (_, i) => Math.sin(i / 5) + ((i * 7919) % 13) / 13);
        const r = await fetch(base + '/api/aiops/periods?mode=async', { method: 'POST', headers: h, body: JSON.stringify({ values, periodogram: 'huber' }) });
        expect(r.status).toBe(202);
        const id = ((await r.json()) as { run: { id: string } }).run.id;
        a.child.kill('SIGKILL');
        await a.exited;

        const b = startServer(dir, port);
        try {
          const h2 = await until('second server', login);
          const run = await until('the run to be resolved', async () => {
            const g = (await (await fetch(`${base}/api/aiops/runs/${id}`, { headers: h2 })).json()) as { run: { status: string; error: string } };
            return g.run.status === 'running' ? undefined : g.run;
          });
          expect(run.status).toBe('failed');
          expect(run.error).toMatch(/^interrupted by a restart at /);
        } finally {
          b.child.kill('SIGTERM');
          await b.exited;
        }
      } finally {
        if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
