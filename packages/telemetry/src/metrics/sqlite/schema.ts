// Embedded metrics schema (its own SQLite file in the data dir, never the state store):
// a series dictionary (labels → integer id via a 64-bit fingerprint), samples stored per series
// in compressed chunks, and 1-minute / 1-hour rollups. This is the layout of Prometheus' TSDB:
//
// - `wal`: one row per commit holding the samples it accepted, for all series (a columnar blob,
//   see chunk.ts). A commit is one small append however many series it touches, and it is what
//   makes a 2xx durable. The writer also keeps these samples in memory (the head), where
//   duplicates are detected. Its seq only grows (AUTOINCREMENT): `wal_done` refers to it.
// - `wal_done`: per series, the wal seq up to which its samples are already in chunks (compaction
//   runs in slices of series; see writer.ts). Readers skip those wal entries.
// - `chunks`: per series, up to 120 samples sorted by time in one compressed blob (delta-of-delta
//   timestamps, XOR values). Every few seconds the writer appends the head to each series' newest
//   chunk, updates the rollups and deletes the WAL rows, in one transaction (compaction). A panel
//   over 24 h of one series at 15 s reads 48 chunks instead of 5,760 rows.
// Readers read chunks ∪ wal in one snapshot. Chunks of a series never overlap in time: a late
// sample is merged into the chunk whose range it falls in.
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  metric TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS series_metric ON series(metric);
CREATE TABLE IF NOT EXISTS wal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  n INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS wal_done (
  series_id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
  series_id INTEGER NOT NULL,
  start_ts INTEGER NOT NULL,
  end_ts INTEGER NOT NULL,
  n INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS chunks_key ON chunks(series_id, start_ts);
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

// Kinds of the old row layout (samples/head tables, v NULL for NaN): read once when migrating.
export const KIND_NUMBER = 0;
export const KIND_NAN = 1;
export const KIND_STALE = 2;

/** Messages between the store (main thread) and the writer worker. */
export type WriterRequest =
  | {
      id: number;
      op: 'append';
      /**
       * per series: its 16-character fingerprint, all concatenated (one string: the structured
       * clone of an array costs per element, about 0.3 µs per sample here), and its sample count
       */
      fps: string;
      counts: Uint32Array;
      /** labels of the series (by index) that the writer may not know yet */
      fresh: [number, Record<string, string>][];
      /** all series' samples back to back, in the order of fps (transferred, not copied) */
      ts: Float64Array;
      vs: Float64Array;
      minTs: number;
    }
  | { id: number; op: 'metadata'; meta: { metric: string; type: string; help: string; unit: string }[] }
  | { id: number; op: 'retention'; raw: number; r1m: number; r1h: number }
  | { id: number; op: 'compact' }
  | { id: number; op: 'close' };

export type WriterResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
