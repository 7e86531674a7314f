// Test support: one fresh, isolated database per call on each configured dialect.
// SQLite always runs; PostgreSQL and MySQL run when SREWORKS_TEST_POSTGRES_URL /
// SREWORKS_TEST_MYSQL_URL are set, and must be set when SREWORKS_REQUIRE_ALL_DIALECTS=1 (CI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, type DialectName, type Store } from './connect.js';

export interface TestDialect {
  name: DialectName;
  /** opens a brand-new empty database; dispose drops it. */
  open(): Promise<{ store: Store; url: string; dispose(): Promise<void> }>;
}

export function testDialects(env: NodeJS.ProcessEnv = process.env): TestDialect[] {
  const out: TestDialect[] = [
    {
      name: 'sqlite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'sw-store-'));
        const url = `sqlite://${join(dir, 'test.db')}`;
        const store = await openStore({ url });
        return { store, url, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
      },
    },
  ];
  const require = env.SREWORKS_REQUIRE_ALL_DIALECTS === '1';
  const pgUrl = env.SREWORKS_TEST_POSTGRES_URL;
  const myUrl = env.SREWORKS_TEST_MYSQL_URL;
  if (require && (!pgUrl || !myUrl)) {
    throw new Error('SREWORKS_REQUIRE_ALL_DIALECTS=1 but SREWORKS_TEST_POSTGRES_URL or SREWORKS_TEST_MYSQL_URL is not set');
  }
  if (pgUrl) out.push({ name: 'postgres', open: () => freshDatabase('postgres', pgUrl) });
  if (myUrl) out.push({ name: 'mysql', open: () => freshDatabase('mysql', myUrl) });
  return out;
}

async function freshDatabase(kind: 'postgres' | 'mysql', adminUrl: string) {
  const name = `sw_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = await openStore({ url: adminUrl, poolSize: 1 });
  const { sql } = await import('kysely');
  await sql.raw(`CREATE DATABASE ${name}`).execute(admin.db);
  await admin.close();
  const u = new URL(adminUrl);
  u.pathname = '/' + name;
  const url = u.toString();
  const store = await openStore({ url });
  return {
    store,
    url,
    async dispose() {
      await store.close();
      const a = await openStore({ url: adminUrl, poolSize: 1 });
      await sql.raw(kind === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`).execute(a.db);
      await a.close();
    },
  };
}
