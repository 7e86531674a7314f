// The embedded store's only writer, in a worker thread: better-sqlite3 is synchronous, so
// commits (with their fsync) must not stall the HTTP event loop. Requests that arrive while a
// commit runs are committed together in the next transaction (group commit); each caller is
// answered only after the transaction holding its samples has committed.
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
const insSample = db.prepare('INSERT INTO samples (series_id, ts, v, k) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
const getSample = db.prepare('SELECT v, k FROM samples WHERE series_id = ? AND ts = ?');
const upsertRollup = (table: string) =>
  db.prepare(
    `INSERT INTO ${table} (series_id, bucket, min, max, sum, cnt, last, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (series_id, bucket) DO UPDATE SET
       min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum, cnt = cnt + excluded.cnt,
       last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END,
       last_ts = max(last_ts, excluded.last_ts)`,
  );
const up1m = upsertRollup('rollup_1m');
const up1h = upsertRollup('rollup_1h');
const upMeta = db.prepare('INSERT INTO metadata (metric, type, help, unit) VALUES (?, ?, ?, ?) ON CONFLICT (metric) DO UPDATE SET type = excluded.type, help = excluded.help, unit = excluded.unit');

interface Agg {
  min: number;
  max: number;
  sum: number;
  cnt: number;
  last: number;
  lastTs: number;
}

function addAgg(map: Map<number, Agg>, bucket: number, ts: number, v: number): void {
  const a = map.get(bucket);
  if (!a) map.set(bucket, { min: v, max: v, sum: v, cnt: 1, last: v, lastTs: ts });
  else {
    if (v < a.min) a.min = v;
    if (v > a.max) a.max = v;
    a.sum += v;
    a.cnt++;
    if (ts >= a.lastTs) {
      a.last = v;
      a.lastTs = ts;
    }
  }
}

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
    const m1 = new Map<number, Agg>();
    const h1 = new Map<number, Agg>();
    for (let i = 0; i < s.timestamps.length; i++) {
      const ts = s.timestamps[i]!;
      const v = s.values[i]!;
      if (ts < req.minTs) {
        res.tooOld++;
        continue;
      }
      const nan = Number.isNaN(v);
      const k = nan ? (isStaleNaN(v) ? KIND_STALE : KIND_NAN) : KIND_NUMBER;
      const info = insSample.run(id, ts, nan ? null : v, k);
      if (info.changes === 0) {
        const prev = getSample.get(id, ts) as { v: number | null; k: number };
        if (prev.k === k && (nan || prev.v === v)) res.duplicates++;
        else res.conflicts++;
        continue;
      }
      res.accepted++;
      if (!nan) {
        addAgg(m1, ts - (ts % 60_000), ts, v);
        addAgg(h1, ts - (ts % 3_600_000), ts, v);
      }
    }
    for (const [b, a] of m1) up1m.run(id, b, a.min, a.max, a.sum, a.cnt, a.last, a.lastTs);
    for (const [b, a] of h1) up1h.run(id, b, a.min, a.max, a.sum, a.cnt, a.last, a.lastTs);
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
          case 'close':
            closing = true;
            replies.push({ id: r.id, ok: true, result: null });
            break;
        }
      }
    })();
  } catch (e) {
    // the whole group rolled back: every caller in it gets the error (none was acknowledged),
    // and ids cached for series created in it are forgotten
    seriesIds.clear();
    for (const row of db.prepare('SELECT id, fingerprint FROM series').iterate() as IterableIterator<{ id: number; fingerprint: string }>) seriesIds.set(row.fingerprint, row.id);
    for (const r of reqs) parentPort!.postMessage({ id: r.id, ok: false, error: (e as Error).message } satisfies WriterResponse);
    return;
  }
  if (closing) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  for (const rep of replies) parentPort!.postMessage(rep);
  if (closing) process.exit(0);
}

function retention(r: Extract<WriterRequest, { op: 'retention' }>): number {
  // per-series deletes use the (series_id, ts) key instead of scanning the table
  let n = 0;
  const ids = db.prepare('SELECT id FROM series').pluck().all() as number[];
  const delRaw = db.prepare('DELETE FROM samples WHERE series_id = ? AND ts < ?');
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
