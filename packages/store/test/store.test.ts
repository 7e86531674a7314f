import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnTypes, decodeCursor, encodeCursor, fromJson, migrate, sql, toJson, type Migration } from '../src/index.js';
import { testDialects } from '../src/testing.js';

const migrations: Migration[] = [
  {
    name: '20261126_01_test_things',
    async up(db, d) {
      const t = columnTypes(d);
      await db.schema
        .createTable('thing')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('name', sql.raw(t.name), (c) => c.notNull().unique())
        .addColumn('spec', sql.raw(t.json))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .execute();
    },
  },
];

for (const dialect of testDialects()) {
  describe(`store on ${dialect.name}`, () => {
    let h: Awaited<ReturnType<typeof dialect.open>>;
    beforeAll(async () => {
      h = await dialect.open();
    });
    afterAll(async () => {
      await h?.dispose();
    });

    it('applies migrations once, even when two runners race', async () => {
      const { openStore } = await import('../src/index.js');
      const other = await openStore({ url: h.url });
      const [a, b] = await Promise.all([migrate(h.store, migrations), migrate(other, migrations)]);
      await other.close();
      expect([...a, ...b]).toEqual(['20261126_01_test_things']);
      expect(await migrate(h.store, migrations)).toEqual([]);
    });

    it('stores JSON text and unicode, and keeps quotes in values literal', async () => {
      const spec = { a: [1, 2], s: "O'Brien; DROP TABLE thing; --", u: '你好' };
      await h.store.db.insertInto('thing').values({ id: 'x1', name: "n'1", spec: toJson(spec), created_at: new Date().toISOString() }).execute();
      const row = await h.store.db.selectFrom('thing').selectAll().where('name', '=', "n'1").executeTakeFirstOrThrow();
      expect(fromJson(row.spec)).toEqual(spec);
    });

    it('stores a 1 MB JSON document', async () => {
      const big = { blob: 'x'.repeat(1_000_000) };
      await h.store.db.insertInto('thing').values({ id: 'x2', name: 'big', spec: toJson(big), created_at: new Date().toISOString() }).execute();
      const row = await h.store.db.selectFrom('thing').select('spec').where('id', '=', 'x2').executeTakeFirstOrThrow();
      expect(fromJson<{ blob: string }>(row.spec).blob.length).toBe(1_000_000);
    });

    it('rejects a duplicate unique name', async () => {
      await expect(
        h.store.db.insertInto('thing').values({ id: 'x3', name: 'big', spec: null, created_at: 'now' }).execute(),
      ).rejects.toThrow();
    });

    // A server restart or an admin's kill drops idle pooled connections; the process must live on
    // (an 'error' event without a listener would end it) and the next query must get a new one.
    if (dialect.name !== 'sqlite') it('survives an idle connection killed by the server', async () => {
      const { openStore } = await import('../src/index.js');
      const dropped: Error[] = [];
      const s = await openStore({ url: h.url, poolSize: 1, onConnectionError: (e) => dropped.push(e) });
      const killer = await openStore({ url: h.url, poolSize: 1 });
      try {
        if (dialect.name === 'postgres') {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(s.db);
          await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(killer.db);
        } else {
          const { rows } = await sql<{ id: number }>`select connection_id() as id`.execute(s.db);
          await sql.raw(`KILL ${Number(rows[0]!.id)}`).execute(killer.db);
        }
        for (let i = 0; i < 50 && dropped.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(dropped.length).toBeGreaterThan(0);
        const { rows } = await sql<{ one: number }>`select 1 as one`.execute(s.db);
        expect(Number(rows[0]!.one)).toBe(1);
      } finally {
        await killer.close();
        await s.close();
      }
    });
  });
}

describe('cursors', () => {
  it('round-trips and rejects garbage with the field named', () => {
    expect(decodeCursor(encodeCursor('abc'))).toBe('abc');
    expect(() => decodeCursor('%%%')).toThrow(/cursor/);
  });
});
