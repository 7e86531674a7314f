// Embedded metrics schema (its own SQLite file in the data dir, never the state store):
// a series dictionary (labels → integer id via a 64-bit fingerprint), a narrow samples table
// clustered by (series, time), and 1-minute / 1-hour rollups.
//
// Writes land in `head`, a small table with the same key: samples arrive time-major (every
// series at each step) and inserting them straight into the big series-clustered tree would
// dirty one page per series per commit (about 600 WAL bytes per sample, measured). The writer
// moves head rows into `samples` and the rollups every few seconds (compaction), many rows per
// page at once. Readers read samples ∪ head in one snapshot.
// SQLite stores NaN as NULL, so NaN and Prometheus' stale marker are kept as a kind flag `k`
// (0 number, 1 NaN, 2 stale NaN) beside a NULL value.
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  metric TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS series_metric ON series(metric);
CREATE TABLE IF NOT EXISTS samples (
  series_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  v REAL,
  k INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (series_id, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS head (
  series_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  v REAL,
  k INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (series_id, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_1m (
  series_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  min REAL, max REAL, sum REAL, cnt INTEGER NOT NULL, last REAL, last_ts INTEGER NOT NULL,
  PRIMARY KEY (series_id, bucket)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_1h (
  series_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  min REAL, max REAL, sum REAL, cnt INTEGER NOT NULL, last REAL, last_ts INTEGER NOT NULL,
  PRIMARY KEY (series_id, bucket)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS metadata (
  metric TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  help TEXT NOT NULL,
  unit TEXT NOT NULL
);
`;

export const KIND_NUMBER = 0;
export const KIND_NAN = 1;
export const KIND_STALE = 2;

/** Messages between the store (main thread) and the writer worker. */
export type WriterRequest =
  | { id: number; op: 'append'; batch: { labels: Record<string, string>; key: string; fp: string; timestamps: number[]; values: Float64Array }[]; minTs: number }
  | { id: number; op: 'metadata'; meta: { metric: string; type: string; help: string; unit: string }[] }
  | { id: number; op: 'retention'; raw: number; r1m: number; r1h: number }
  | { id: number; op: 'compact' }
  | { id: number; op: 'close' };

export type WriterResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
