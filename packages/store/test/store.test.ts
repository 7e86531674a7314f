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
  });
}

describe('cursors', () => {
  it('round-trips and rejects garbage with the field named', () => {
    expect(decodeCursor(encodeCursor('abc'))).toBe('abc');
    expect(() => decodeCursor('%%%')).toThrow(/cursor/);
  });
});
