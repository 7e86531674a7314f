// Writer thread of SqliteLogStore: the only connection that writes log lines, so a large commit
// (and its fsync) never blocks the HTTP event loop. Plain JavaScript on purpose: a worker must
// start the same way under tsx, vitest and plain node, with no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.synchronous}`);
db.pragma('busy_timeout = 10000');
db.defaultSafeIntegers(true);

const insStream = db.prepare('INSERT INTO log_streams (key, labels, min_ts, max_ts) VALUES (?, ?, ?, ?)');
const updStream = db.prepare('UPDATE log_streams SET min_ts = ?, max_ts = ? WHERE id = ?');
const insEntry = db.prepare('INSERT INTO log_entries (stream_id, ts, seq, line, meta) VALUES (?, ?, ?, ?, ?)');
const streams = new Map();
for (const r of db.prepare('SELECT id, key, min_ts, max_ts FROM log_streams').all()) {
  streams.set(r.key, { id: r.id, min: r.min_ts, max: r.max_ts });
}
let seq = BigInt(Date.now()) * 1000n;
const MAX = 9223372036854775807n;

/** groups: [{ key, entries: [[ts bigint, line, metaJson | null], …] }] */
const append = db.transaction((groups) => {
  const touched = new Map();
  for (const g of groups) {
    // A stream first seen earlier in this same commit is in `touched`, not yet in `streams`.
    let rec = touched.get(g.key)?.rec ?? streams.get(g.key);
    if (!rec) {
      const info = insStream.run(g.key, g.key, 0n, 0n);
      rec = { id: info.lastInsertRowid, min: MAX, max: -1n, fresh: true };
    }
    let t = touched.get(g.key);
    if (!t) touched.set(g.key, (t = { rec, min: rec.min, max: rec.max }));
    for (const [ts, line, meta] of g.entries) {
      insEntry.run(rec.id, ts, seq++, line, meta);
      if (ts < t.min) t.min = ts;
      if (ts > t.max) t.max = ts;
    }
  }
  for (const t of touched.values()) updStream.run(t.min, t.max, t.rec.id);
  return touched;
});

const retain = db.transaction((before) => {
  const del = db.prepare('DELETE FROM log_entries WHERE stream_id = ? AND ts < ?');
  const minOf = db.prepare('SELECT min(ts) AS m FROM log_entries WHERE stream_id = ?');
  const drop = db.prepare('DELETE FROM log_streams WHERE id = ?');
  let deleted = 0;
  const changes = [];
  for (const [key, rec] of streams) {
    if (rec.min >= before) continue;
    deleted += del.run(rec.id, before).changes;
    const m = minOf.get(rec.id).m;
    if (m === null) {
      drop.run(rec.id);
      streams.delete(key);
      changes.push({ key, min: null });
    } else {
      rec.min = m;
      updStream.run(rec.min, rec.max, rec.id);
      changes.push({ key, min: m });
    }
  }
  return { deleted, changes };
});

parentPort.on('message', (msg) => {
  try {
    if (msg.type === 'append') {
      const touched = append(msg.groups);
      const out = [];
      for (const [key, t] of touched) {
        streams.set(key, { id: t.rec.id, min: t.min, max: t.max });
        out.push({ key, id: Number(t.rec.id), min: t.min, max: t.max });
      }
      parentPort.postMessage({ id: msg.id, ok: true, streams: out });
    } else if (msg.type === 'retain') {
      const r = retain(msg.before);
      parentPort.postMessage({ id: msg.id, ok: true, deleted: r.deleted, changes: r.changes });
    } else if (msg.type === 'close') {
      db.close();
      parentPort.postMessage({ id: msg.id, ok: true });
      parentPort.close();
    }
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
