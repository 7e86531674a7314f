// The embedded store's only writer, in a worker thread: better-sqlite3 is synchronous, so
// commits (with their fsync) must not stall the HTTP event loop. Requests that arrive while a
// commit runs are committed together in the next transaction (group commit); each caller is
// answered only after the transaction holding its samples has committed. Samples land in the
// head table; compaction moves them into samples and the rollups (see schema.ts).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { isStaleNaN } from '@sreworks/promql';
import { KIND_NAN, KIND_NUMBER, KIND_STALE, SCHEMA_SQL, type WriterRequest, type WriterResponse } from './schema.js';

interface Init {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
}
const init = workerData as Init;
const db = new Database(init.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${init.synchronous}`);
db.pragma('cache_size = -65536');
db.exec(SCHEMA_SQL);

const seriesIds = new Map<string, number>();
for (const row of db.prepare('SELECT id, fingerprint FROM series').iterate() as IterableIterator<{ id: number; fingerprint: string }>) {
  seriesIds.set(row.fingerprint, row.id);
}

const insSeries = db.prepare('INSERT INTO series (fingerprint, metric, labels, created_ms) VALUES (?, ?, ?, ?) RETURNING id');
const getSeries = db.prepare('SELECT id, labels FROM series WHERE fingerprint = ?');
const insHead = db.prepare('INSERT INTO head (series_id, ts, v, k) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
const getHead = db.prepare('SELECT v, k FROM head WHERE series_id = ? AND ts = ?');
const getSample = db.prepare('SELECT v, k FROM samples WHERE series_id = ? AND ts = ?');
const delHead = db.prepare('DELETE FROM head WHERE series_id = ? AND ts = ?');
const maxCompacted = db.prepare('SELECT max(ts) FROM samples WHERE series_id = ?').pluck();
/** per series, the newest timestamp already in `samples` (older samples need a lookup there). */
const compactedMax = new Map<number, number>();
let headRows = db.prepare('SELECT count(*) FROM head').pluck().get() as number;
let lastCompaction = Date.now();
const COMPACT_ROWS = 200_000;
const COMPACT_MS = 10_000;
const rollupSql = (table: string, width: number) =>
  `INSERT INTO ${table} (series_id, bucket, min, max, sum, cnt, last, last_ts)
   SELECT g.series_id, g.b, g.mn, g.mx, g.sm, g.c, (SELECT h.v FROM head h WHERE h.series_id = g.series_id AND h.ts = g.lt), g.lt
   FROM (SELECT series_id, ts - ts % ${width} AS b, min(v) AS mn, max(v) AS mx, sum(v) AS sm, count(*) AS c, max(ts) AS lt
         FROM head WHERE k = 0 GROUP BY series_id, ts - ts % ${width}) g WHERE true
   ON CONFLICT (series_id, bucket) DO UPDATE SET
     min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum, cnt = cnt + excluded.cnt,
     last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END,
     last_ts = max(last_ts, excluded.last_ts)`;
const compactStmts = [
  db.prepare('INSERT INTO samples (series_id, ts, v, k) SELECT series_id, ts, v, k FROM head WHERE true ON CONFLICT DO NOTHING'),
  db.prepare(rollupSql('rollup_1m', 60_000)),
  db.prepare(rollupSql('rollup_1h', 3_600_000)),
];
const headMax = db.prepare('SELECT series_id, max(ts) AS m FROM head GROUP BY series_id');
const clearHead = db.prepare('DELETE FROM head');

/** Moves head rows into samples and the rollups, in one transaction. */
function compact(): number {
  if (!headRows) return 0;
  const moved = headRows;
  db.transaction(() => {
    for (const row of headMax.iterate() as IterableIterator<{ series_id: number; m: number }>) {
      const cur = compactedMax.get(row.series_id);
      if (cur !== undefined && row.m > cur) compactedMax.set(row.series_id, row.m);
    }
    for (const st of compactStmts) st.run();
    clearHead.run();
  })();
  headRows = 0;
  lastCompaction = Date.now();
  return moved;
}

const upMeta = db.prepare('INSERT INTO metadata (metric, type, help, unit) VALUES (?, ?, ?, ?) ON CONFLICT (metric) DO UPDATE SET type = excluded.type, help = excluded.help, unit = excluded.unit');

type AppendReq = Extract<WriterRequest, { op: 'append' }>;

function appendOne(req: AppendReq, now: number) {
  const res = { accepted: 0, duplicates: 0, conflicts: 0, tooOld: 0, newSeries: 0 };
  for (const s of req.batch) {
    let id = seriesIds.get(s.fp);
    if (id === undefined) {
      const existing = getSeries.get(s.fp) as { id: number; labels: string } | undefined;
      if (existing) id = existing.id;
      else {
        id = (insSeries.get(s.fp, s.labels.__name__, JSON.stringify(s.labels), now) as { id: number }).id;
        res.newSeries++;
      }
      seriesIds.set(s.fp, id);
    }
    let known = compactedMax.get(id);
    if (known === undefined) {
      known = (maxCompacted.get(id) as number | null) ?? -Infinity;
      compactedMax.set(id, known);
    }
    for (let i = 0; i < s.timestamps.length; i++) {
      const ts = s.timestamps[i]!;
      const v = s.values[i]!;
      if (ts < req.minTs) {
        res.tooOld++;
        continue;
      }
      const nan = Number.isNaN(v);
      const k = nan ? (isStaleNaN(v) ? KIND_STALE : KIND_NAN) : KIND_NUMBER;
      let prev: { v: number | null; k: number } | undefined;
      if (insHead.run(id, ts, nan ? null : v, k).changes === 0) prev = getHead.get(id, ts) as { v: number | null; k: number };
      else if (ts <= known) {
        // older than what compaction already moved: it may be stored there
        prev = getSample.get(id, ts) as { v: number | null; k: number } | undefined;
        if (prev) delHead.run(id, ts);
      }
      if (prev) {
        if (prev.k === k && (nan || prev.v === v)) res.duplicates++;
        else res.conflicts++;
        continue;
      }
      res.accepted++;
      headRows++;
    }
  }
  return res;
}

let queue: WriterRequest[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const reqs = queue;
  queue = [];
  const replies: WriterResponse[] = [];
  const now = Date.now();
  let closing = false;
  try {
    db.transaction(() => {
      for (const r of reqs) {
        switch (r.op) {
          case 'append':
            replies.push({ id: r.id, ok: true, result: appendOne(r, now) });
            break;
          case 'metadata':
            for (const m of r.meta) upMeta.run(m.metric, m.type, m.help, m.unit);
            replies.push({ id: r.id, ok: true, result: null });
            break;
          case 'retention':
            replies.push({ id: r.id, ok: true, result: retention(r) });
            break;
          case 'compact':
            replies.push({ id: r.id, ok: true, result: null });
            break;
          case 'close':
            closing = true;
            replies.push({ id: r.id, ok: true, result: null });
            break;
        }
      }
    })();
  } catch (e) {
    // the whole group rolled back: every caller in it gets the error (none was acknowledged),
    // and ids and counters cached during it are forgotten
    seriesIds.clear();
    compactedMax.clear();
    headRows = db.prepare('SELECT count(*) FROM head').pluck().get() as number;
    for (const row of db.prepare('SELECT id, fingerprint FROM series').iterate() as IterableIterator<{ id: number; fingerprint: string }>) seriesIds.set(row.fingerprint, row.id);
    for (const r of reqs) parentPort!.postMessage({ id: r.id, ok: false, error: (e as Error).message } satisfies WriterResponse);
    return;
  }
  // a compaction asked for explicitly runs before its caller is answered
  const wantCompact = closing || reqs.some((r) => r.op === 'compact');
  if (wantCompact) {
    try {
      compact();
    } catch (e) {
      for (const rep of replies) if (reqs.find((r) => r.id === rep.id)?.op === 'compact') Object.assign(rep, { ok: false, error: (e as Error).message });
    }
  }
  if (closing) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  for (const rep of replies) parentPort!.postMessage(rep);
  if (closing) process.exit(0);
  if (!wantCompact && (headRows >= COMPACT_ROWS || (headRows && Date.now() - lastCompaction >= COMPACT_MS))) scheduleCompaction();
}

let compactionScheduled = false;
function scheduleCompaction(): void {
  if (compactionScheduled) return;
  compactionScheduled = true;
  setImmediate(() => {
    compactionScheduled = false;
    try {
      compact();
    } catch {
      /* the head stays; the next flush retries */
    }
  });
}
// a quiet store still compacts what it holds
setInterval(() => {
  if (headRows && Date.now() - lastCompaction >= COMPACT_MS) scheduleCompaction();
}, COMPACT_MS).unref();

function retention(r: Extract<WriterRequest, { op: 'retention' }>): number {
  // per-series deletes use the (series_id, ts) key instead of scanning the table
  let n = 0;
  const ids = db.prepare('SELECT id FROM series').pluck().all() as number[];
  const delRaw = db.prepare('DELETE FROM samples WHERE series_id = ? AND ts < ?');
  const headGone = db.prepare('DELETE FROM head WHERE ts < ?').run(r.raw).changes;
  headRows -= headGone;
  n += headGone;
  const del1m = db.prepare('DELETE FROM rollup_1m WHERE series_id = ? AND bucket < ?');
  const del1h = db.prepare('DELETE FROM rollup_1h WHERE series_id = ? AND bucket < ?');
  for (const id of ids) {
    n += delRaw.run(id, r.raw).changes;
    n += del1m.run(id, r.r1m).changes;
    n += del1h.run(id, r.r1h).changes;
  }
  return n;
}

parentPort!.on('message', (req: WriterRequest) => {
  queue.push(req);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
parentPort!.postMessage({ id: 0, ok: true, result: 'ready' } satisfies WriterResponse);
