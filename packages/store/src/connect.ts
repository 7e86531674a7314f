import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';

export type DialectName = 'sqlite' | 'postgres' | 'mysql';

export interface Store {
  db: Kysely<any>;
  dialect: DialectName;
  /** Redacted URL (no password) for logs and /readyz. */
  describe: string;
  /** SQLite file path, when the store is a file. */
  file?: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://…, mysql://…, sqlite:///abs/path.db, or a file path; undefined → sqliteFile. */
  url?: string;
  sqliteFile?: string;
  poolSize?: number;
  /** Told when a pooled connection drops while idle (server restart, admin termination); the
   *  pool replaces it on next use. Without a listener such an error would end the process. */
  onConnectionError?: (err: Error) => void;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  const url = opts.url;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pg = (await import('pg')).default;
    // BIGINT/NUMERIC come back as strings by default; counts and epoch-ms fit in a double.
    pg.types.setTypeParser(20, (v: string) => Number(v));
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    pool.on('error', (err) => opts.onConnectionError?.(err));
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    return wrap(db, 'postgres', redact(url));
  }
  if (url && /^mysql:\/\//.test(url)) {
    const mysql = await import('mysql2');
    const pool = mysql.createPool({ uri: url, connectionLimit: opts.poolSize ?? 10, supportBigNumbers: true, bigNumberStrings: false, dateStrings: true, timezone: 'Z' });
    pool.on('connection', (conn) => conn.on('error', (err: Error) => opts.onConnectionError?.(err)));
    const db = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
    return wrap(db, 'mysql', redact(url));
  }
  const file = url ? url.replace(/^sqlite:\/\//, '').replace(/^file:/, '') : opts.sqliteFile;
  if (!file) throw new Error('no database URL and no SQLite file given');
  const Database = (await import('better-sqlite3')).default;
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // WAL + NORMAL: a committed transaction survives a process crash (kill -9), since the WAL is
  // written before commit returns; only an OS crash or power cut may lose the last commits.
  // SREWORKS_SQLITE_SYNC=FULL trades write throughput for power-loss durability.
  sqlite.pragma(`synchronous = ${process.env.SREWORKS_SQLITE_SYNC === 'FULL' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { ...wrap(db, 'sqlite', `sqlite:${file}`), file: file === ':memory:' ? undefined : file };
}

type SqliteDb = InstanceType<typeof import('better-sqlite3')>;

// Kysely prepares every statement anew; on a hot read that parse is a third of the query's cost.
// Statements are kept by SQL text (bounded); one still iterating (busy) is never handed out twice.
function withStatementCache(sqlite: SqliteDb) {
  const stmts = new Map<string, ReturnType<SqliteDb['prepare']>>();
  return {
    prepare(text: string) {
      const hit = stmts.get(text);
      if (hit && !hit.busy) return hit;
      const stmt = sqlite.prepare(text);
      if (!hit) {
        if (stmts.size >= 1000) stmts.delete(stmts.keys().next().value!);
        stmts.set(text, stmt);
      }
      return stmt;
    },
    close() {
      stmts.clear();
      sqlite.close();
    },
  };
}

function wrap(db: Kysely<any>, dialect: DialectName, describe: string): Store {
  return {
    db,
    dialect,
    describe,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
