import { Migrator, type Kysely, type Migration as KyselyMigration, type MigrationProvider } from 'kysely';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import type { DialectName, Store } from './connect.js';

/**
 * A versioned migration contributed by a package. Names sort globally and never change once
 * released: `<YYYYMMDD>_<NN>_<package>_<what>`, e.g. `20261126_01_identity_users`.
 */
export interface Migration {
  name: string;
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
  down?(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

/**
 * Applies all pending migrations. Kysely's migrator takes a lock (a lock table row, held in a
 * transaction; advisory on PostgreSQL) so two processes starting at once apply each migration once.
 */
export async function migrate(store: Store, migrations: readonly Migration[]): Promise<string[]> {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.name)) throw new Error(`duplicate migration name ${m.name}`);
    seen.add(m.name);
  }
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, KyselyMigration> = {};
      for (const m of migrations) {
        out[m.name] = {
          up: (db) => m.up(db, store.dialect),
          down: m.down ? (db) => m.down!(db, store.dialect) : undefined,
        };
      }
      return out;
    },
  };
  const migrator = new Migrator({
    db: store.db,
    provider,
    allowUnorderedMigrations: true,
    migrationTableName: 'sw_migration',
    migrationLockTableName: 'sw_migration_lock',
  });
  // Kysely's SQLite adapter takes no lock (it assumes one connection); two processes on one file
  // need one, so hold a lock directory beside the database while migrating.
  const release = store.file ? await lockDir(store.file + '.migrate.lock') : () => {};
  let outcome;
  try {
    outcome = await migrator.migrateToLatest();
  } finally {
    release();
  }
  const { error, results } = outcome;
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function lockDir(path: string, staleMs = 120_000, waitMs = 60_000): Promise<() => void> {
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(path);
      return () => rmdirSync(path);
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(path).mtimeMs > staleMs) rmdirSync(path); // a crashed migrator
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() - t0 > waitMs) throw new Error(`timed out waiting for the migration lock ${path}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
