import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnServer } from './spawn-server.js';

// What the API acknowledged survives kill -9; a second start does not re-run migrations or
// re-create the admin; SIGTERM shuts down cleanly.
const PASSWORD = 'durability-password-1';

const start = (dir: string, port: number) => spawnServer(dir, port, PASSWORD);

async function waitUp(base: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(base + '/healthz')).ok) return;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not come up');
}

async function session(base: string) {
  const r = await fetch(base + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  expect(r.status).toBe(200);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

describe('process lifecycle', () => {
  it('keeps every acknowledged write across kill -9 and restarts cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-dur-'));
    const port = 18000 + Math.floor(Math.random() * 1000);
    const base = `http://127.0.0.1:${port}`;
    try {
      const a = start(dir, port);
      await waitUp(base);
      const h = await session(base);
      const acked: string[] = [];
      // fire writes continuously and kill the process in the middle of them
      const writer = (async () => {
        for (let i = 0; i < 400; i++) {
          try {
            const r = await fetch(base + '/api/teams', { method: 'POST', headers: h, body: JSON.stringify({ name: `t-${i}` }) });
            if (r.status === 201) acked.push(`t-${i}`);
          } catch {
            return;
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 600));
      a.child.kill('SIGKILL');
      await writer;
      await a.exited;
      expect(acked.length).toBeGreaterThan(0);

      const b = start(dir, port);
      await waitUp(base);
      const h2 = await session(base);
      const names = new Set<string>();
      let cursor: string | null = null;
      do {
        const r = await fetch(base + '/api/teams?limit=500' + (cursor ? `&cursor=${cursor}` : ''), { headers: h2 });
        const page = (await r.json()) as { items: { name: string }[]; nextCursor: string | null };
        page.items.forEach((t) => names.add(t.name));
        cursor = page.nextCursor;
      } while (cursor);
      for (const n of acked) expect(names.has(n), n).toBe(true);
      expect(b.output()).not.toContain('generated password');

      b.child.kill('SIGTERM');
      const code = await b.exited;
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
