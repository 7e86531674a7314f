// The embedded store's only writer, in a worker thread: better-sqlite3 is synchronous, so
// commits (with their fsync) must not stall the HTTP event loop. Requests that arrive while a
// commit runs are committed together in the next transaction (group commit); each caller is
// answered only after the transaction holding its samples has committed.
//
// Accepted samples go to one `wal` row per commit and to the in-memory head (per series, sorted),
// where duplicates and conflicts are detected without touching SQLite. Compaction moves the head
// into per-series chunks and the rollups (see schema.ts). On start the head is rebuilt from the
// wal, so a kill -9 loses nothing that was acknowledged.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { isStaleNaN, STALE_NAN } from '@sreworks/promql';
import { CHUNK_SAMPLES, decodeChunk, decodeWal, encodeChunk, encodeWal, mergeRuns, type Run, type WalSeries } from './chunk.js';
import { KIND_STALE, SCHEMA_SQL, type WriterRequest, type WriterResponse } from './schema.js';

interface Init {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  compactEverySamples: number;
}
const init = workerData as Init;
const db = new Database(init.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${init.synchronous}`);
db.pragma('cache_size = -65536');
db.exec(SCHEMA_SQL);

const COMPACT_SAMPLES = init.compactEverySamples;
const COMPACT_MS = 10_000;

// ---- series dictionary -------------------------------------------------------------------
const seriesIds = new Map<string, number>();
function loadSeries(): void {
  seriesIds.clear();
  for (const row of db.prepare('SELECT id, fingerprint FROM series').iterate() as IterableIterator<{ id: number; fingerprint: string }>) {
    seriesIds.set(row.fingerprint, row.id);
  }
}
const insSeries = db.prepare('INSERT INTO series (fingerprint, metric, labels, created_ms) VALUES (?, ?, ?, ?) RETURNING id');

// ---- the head: accepted samples not compacted yet, per series, sorted by time -----------------
/** a growing sorted run of samples (values kept in a Float64Array: NaN payloads survive). */
class RunBuilder {
  ts = new Float64Array(8);
  vs = new Float64Array(8);
  n = 0;
  get max(): number {
    return this.n ? this.ts[this.n - 1]! : -Infinity;
  }
  private grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    const vs = new Float64Array(this.vs.length * 2);
    ts.set(this.ts);
    vs.set(this.vs);
    this.ts = ts;
    this.vs = vs;
  }
  /** index of ts, or -(insertion point) - 1. */
  find(t: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = this.ts[mid]!;
      if (x < t) lo = mid + 1;
      else if (x > t) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }
  insertAt(i: number, t: number, v: number): void {
    if (this.n === this.ts.length) this.grow();
    if (i < this.n) {
      this.ts.copyWithin(i + 1, i, this.n);
      this.vs.copyWithin(i + 1, i, this.n);
    }
    this.ts[i] = t;
    this.vs[i] = v;
    this.n++;
  }
  run(): Run {
    return { ts: this.ts.subarray(0, this.n), vs: this.vs.subarray(0, this.n) };
  }
}
const head = new Map<number, RunBuilder>();
let headSamples = 0;

function headOf(id: number): RunBuilder {
  let h = head.get(id);
  if (!h) head.set(id, (h = new RunBuilder()));
  return h;
}

/** adds samples known to be new (WAL replay): sorted append, or a sorted insert for late ones. */
function headAdd(id: number, ts: Float64Array, vs: Float64Array): void {
  const h = headOf(id);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (t > h.max) h.insertAt(h.n, t, vs[i]!);
    else {
      const at = h.find(t);
      if (at < 0) h.insertAt(-at - 1, t, vs[i]!);
      else h.vs[at] = vs[i]!;
    }
  }
  headSamples += ts.length;
}

function loadHead(): void {
  head.clear();
  headSamples = 0;
  // entries already compacted (see compactSlice) are skipped
  const done = new Map(db.prepare('SELECT series_id, seq FROM wal_done').raw(true).all() as [number, number][]);
  for (const [seq, data] of db.prepare('SELECT seq, data FROM wal ORDER BY seq').raw(true).iterate() as IterableIterator<[number, Buffer]>) {
    decodeWal(data, (id) => (done.get(id) ?? 0) < seq, (s) => headAdd(s.id, s.ts, s.vs));
  }
}

// ---- chunks ----------------------------------------------------------------------------------
interface Chunk {
  start: number;
  run: Run;
}
/** per series, its newest chunk (null: none), decoded: appends go there. */
const lastChunks = new Map<number, Chunk | null>();
const getLastChunk = db.prepare('SELECT start_ts, data FROM chunks WHERE series_id = ? ORDER BY start_ts DESC LIMIT 1').raw(true);
const getChunkAt = db.prepare('SELECT start_ts, data FROM chunks WHERE series_id = ? AND start_ts <= ? ORDER BY start_ts DESC LIMIT 1').raw(true);
const getFirstChunk = db.prepare('SELECT start_ts, data FROM chunks WHERE series_id = ? ORDER BY start_ts LIMIT 1').raw(true);
const putChunk = db.prepare('INSERT INTO chunks (series_id, start_ts, end_ts, n, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (series_id, start_ts) DO UPDATE SET end_ts = excluded.end_ts, n = excluded.n, data = excluded.data');
const delChunk = db.prepare('DELETE FROM chunks WHERE series_id = ? AND start_ts = ?');

function lastChunk(id: number): Chunk | null {
  let c = lastChunks.get(id);
  if (c === undefined) {
    const row = getLastChunk.get(id) as [number, Buffer] | undefined;
    c = row ? { start: row[0], run: decodeChunk(row[1]) } : null;
    lastChunks.set(id, c);
  }
  return c;
}

/** newest compacted timestamp of a series (older samples may already be in a chunk). */
function compactedMax(id: number): number {
  const c = lastChunk(id);
  return c && c.run.ts.length ? c.run.ts[c.run.ts.length - 1]! : -Infinity;
}

function indexOf(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = ts[mid]!;
    if (x < t) lo = mid + 1;
    else if (x > t) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** the stored value at (id, t) in the chunks, or undefined. */
function chunkValue(id: number, t: number): number | undefined {
  const last = lastChunk(id);
  let run: Run | undefined;
  if (last && t >= last.start) run = last.run;
  else {
    const row = getChunkAt.get(id, t) as [number, Buffer] | undefined;
    if (row) run = decodeChunk(row[1]);
  }
  if (!run) return undefined;
  const i = indexOf(run.ts, t);
  return i < 0 ? undefined : run.vs[i]!;
}

/** writes a run as chunks of CHUNK_SAMPLES; returns the last one. */
function putRun(id: number, run: Run): Chunk {
  let last: Chunk | undefined;
  for (let from = 0; from < run.ts.length; from += CHUNK_SAMPLES) {
    const to = Math.min(run.ts.length, from + CHUNK_SAMPLES);
    putChunk.run(id, run.ts[from]!, run.ts[to - 1]!, to - from, encodeChunk(run.ts, run.vs, from, to));
    last = { start: run.ts[from]!, run: { ts: run.ts.subarray(from, to), vs: run.vs.subarray(from, to) } };
  }
  return last!;
}

/** moves one series' head into its chunks; returns its new newest chunk. */
function compactSeries(id: number, run: Run): Chunk {
  const last = lastChunk(id);
  if (!last) return putRun(id, run);
  // samples older than the newest chunk's start (late): merged into the chunk they fall in
  let late = 0;
  while (late < run.ts.length && run.ts[late]! < last.start) late++;
  if (late) {
    const groups = new Map<number, { data: Buffer; ts: number[]; vs: number[] }>();
    const into = new Map<number, number>(); // sample index → chunk start, grouped below
    for (let i = 0; i < late; i++) {
      const t = run.ts[i]!;
      const row = (getChunkAt.get(id, t) ?? getFirstChunk.get(id)) as [number, Buffer];
      into.set(i, row[0]);
      if (row[0] === last.start) continue; // the newest chunk itself: handled with the rest
      let g = groups.get(row[0]);
      if (!g) groups.set(row[0], (g = { data: row[1], ts: [], vs: [] }));
      g.ts.push(t);
      g.vs.push(i);
    }
    for (const [start, g] of groups) {
      const idx = g.vs;
      const extra: Run = { ts: Float64Array.from(g.ts), vs: new Float64Array(idx.length) };
      idx.forEach((k, o) => (extra.vs[o] = run.vs[k]!));
      const merged = mergeRuns([decodeChunk(g.data), extra]);
      delChunk.run(id, start);
      for (let from = 0; from < merged.ts.length; from += CHUNK_SAMPLES) {
        const to = Math.min(merged.ts.length, from + CHUNK_SAMPLES);
        putChunk.run(id, merged.ts[from]!, merged.ts[to - 1]!, to - from, encodeChunk(merged.ts, merged.vs, from, to));
      }
    }
    // late samples that belong to the newest chunk (it is also the first) join the rest
    const rest: number[] = [];
    for (let i = 0; i < late; i++) if (into.get(i) === last.start) rest.push(i);
    for (let i = late; i < run.ts.length; i++) rest.push(i);
    if (!rest.length) return last;
    const ts = new Float64Array(rest.length);
    const vs = new Float64Array(rest.length);
    rest.forEach((k, o) => {
      ts[o] = run.ts[k]!;
      vs[o] = run.vs[k]!;
    });
    run = { ts, vs };
    if (run.ts[0]! < last.start) delChunk.run(id, last.start);
  } else if (!run.ts.length) return last;
  const lastEnd = last.run.ts[last.run.ts.length - 1]!;
  // a full newest chunk is left as it is when the new samples come after it
  if (last.run.ts.length >= CHUNK_SAMPLES && run.ts[0]! > lastEnd) return putRun(id, run);
  return putRun(id, mergeRuns([last.run, run]));
}

// ---- rollups ---------------------------------------------------------------------------------
const ROLLUP_ROWS = 64;
const rollupSql = (table: string, rows: number) =>
  `INSERT INTO ${table} (series_id, bucket, min, max, sum, cnt, last, last_ts) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
   ON CONFLICT (series_id, bucket) DO UPDATE SET
     min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum, cnt = cnt + excluded.cnt,
     last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END,
     last_ts = max(last_ts, excluded.last_ts)`;
const rollupStmts = {
  rollup_1m: { one: db.prepare(rollupSql('rollup_1m', 1)), many: db.prepare(rollupSql('rollup_1m', ROLLUP_ROWS)) },
  rollup_1h: { one: db.prepare(rollupSql('rollup_1h', 1)), many: db.prepare(rollupSql('rollup_1h', ROLLUP_ROWS)) },
};

/** rollup rows (8 values each, flattened) of a run: NaN (and the stale marker) do not count. */
function rollupRows(id: number, run: Run, width: number, out: number[]): void {
  // no closure here: under tsx every closure created per call costs a defineProperty (__name)
  let b = NaN;
  let mn = 0;
  let mx = 0;
  let sm = 0;
  let c = 0;
  let last = 0;
  let lastTs = 0;
  for (let i = 0; i < run.ts.length; i++) {
    const v = run.vs[i]!;
    if (Number.isNaN(v)) continue;
    const t = run.ts[i]!;
    const bk = t - (((t % width) + width) % width);
    if (bk !== b) {
      if (c) out.push(id, b, mn, mx, sm, c, last, lastTs);
      b = bk;
      mn = v;
      mx = v;
      sm = 0;
      c = 0;
    }
    if (v < mn) mn = v;
    if (v > mx) mx = v;
    sm += v;
    c++;
    last = v;
    lastTs = t;
  }
  if (c) out.push(id, b, mn, mx, sm, c, last, lastTs);
}

function writeRollups(table: 'rollup_1m' | 'rollup_1h', rows: number[]): void {
  const st = rollupStmts[table];
  const per = 8 * ROLLUP_ROWS;
  let i = 0;
  for (; i + per <= rows.length; i += per) st.many.run(rows.slice(i, i + per));
  for (; i < rows.length; i += 8) st.one.run(rows.slice(i, i + 8));
}

// ---- compaction ------------------------------------------------------------------------------
// Compaction runs in slices of a few hundred series, one transaction each, with the appends that
// queued meanwhile committed between slices: one transaction for all 2,000 series held the
// writer (and so every acknowledgement) for 150-250 ms, which halved ingestion.
// A slice records per series the wal seq up to which its samples are now in chunks and rollups
// (`wal_done`); readers and the replay on start skip those wal entries, so nothing is read or
// counted twice while the wal rows wait for the last slice of the cycle to be deleted.
const maxWalSeq = db.prepare('SELECT max(seq) FROM wal').pluck();
const delWal = db.prepare('DELETE FROM wal WHERE seq <= ?');
const setDone = db.prepare('INSERT INTO wal_done (series_id, seq) VALUES (?, ?) ON CONFLICT (series_id) DO UPDATE SET seq = excluded.seq');
const SLICE_SAMPLES = Math.max(1, Math.min(25_000, Math.ceil(COMPACT_SAMPLES / 8)));
const SLICE_SERIES = 400;
let lastCompaction = Date.now();

/** Moves these series' head into chunks and the rollups, in one transaction. */
function compactSlice(ids: number[]): number {
  const newest = new Map<number, Chunk>();
  let moved = 0;
  try {
    db.transaction(() => {
      // every head sample of these series is in a wal row up to here
      const seq = (maxWalSeq.get() as number | null) ?? 0;
      const r1m: number[] = [];
      const r1h: number[] = [];
      for (const id of ids) {
        const h = head.get(id);
        if (!h?.n) {
          head.delete(id); // only duplicates came for it
          continue;
        }
        const run = h.run();
        rollupRows(id, run, 60_000, r1m);
        rollupRows(id, run, 3_600_000, r1h);
        newest.set(id, compactSeries(id, run));
        setDone.run(id, seq);
        moved += h.n;
      }
      writeRollups('rollup_1m', r1m);
      writeRollups('rollup_1h', r1h);
    })();
  } catch (e) {
    lastChunks.clear(); // may hold chunks of the rolled-back transaction
    throw e;
  }
  for (const [id, c] of newest) {
    lastChunks.set(id, c);
    head.delete(id);
  }
  headSamples -= moved;
  return moved;
}

/** the series of the head cut into slices. */
function slices(): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let n = 0;
  for (const [id, h] of head) {
    cur.push(id);
    n += h.n;
    if (n >= SLICE_SAMPLES || cur.length >= SLICE_SERIES) {
      out.push(cur);
      cur = [];
      n = 0;
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** wal rows up to `seq` hold only compacted samples once every series in them was compacted. */
function dropWal(seq: number | null): void {
  if (seq !== null) delWal.run(seq);
}

/** Compacts the whole head now (explicit compaction, retention, close). */
function compact(): number {
  if (!headSamples) return 0;
  const seq = maxWalSeq.get() as number | null;
  let moved = 0;
  for (const ids of slices()) moved += compactSlice(ids);
  dropWal(seq);
  lastCompaction = Date.now();
  return moved;
}

/** The background compaction: one slice per turn of the event loop, appends in between. */
let cycle: { seq: number | null; parts: number[][]; i: number } | undefined;
function compactionStep(): void {
  if (!cycle) {
    if (!headSamples) return;
    cycle = { seq: maxWalSeq.get() as number | null, parts: slices(), i: 0 };
  }
  try {
    compactSlice(cycle.parts[cycle.i++]!);
    if (cycle.i < cycle.parts.length) {
      setImmediate(compactionStep);
      return;
    }
    dropWal(cycle.seq);
    lastCompaction = Date.now();
  } catch {
    /* the rest of the head and the wal stay; the next trigger retries */
  }
  cycle = undefined;
}

// ---- appends ---------------------------------------------------------------------------------
const insWal = db.prepare('INSERT INTO wal (n, data) VALUES (?, ?)');
type AppendReq = Extract<WriterRequest, { op: 'append' }>;
const kindOf = (v: number) => (Number.isNaN(v) ? (isStaleNaN(v) ? 2 : 1) : 0);
/** same series and timestamp: the same sample again (a retry), or a conflicting one. */
const sameSample = (a: number, b: number) => {
  const k = kindOf(a);
  return k === kindOf(b) && (k !== 0 || a === b);
};

function appendOne(req: AppendReq, now: number, wal: WalSeries[]) {
  const res = { accepted: 0, duplicates: 0, conflicts: 0, tooOld: 0, newSeries: 0 };
  let off = 0;
  const fresh = req.fresh.length ? new Map(req.fresh) : undefined;
  for (let s = 0; s < req.counts.length; s++) {
    const fp = req.fps.slice(s * 16, s * 16 + 16);
    const n = req.counts[s]!;
    const from = off;
    off += n;
    let id = seriesIds.get(fp);
    if (id === undefined) {
      const labels = fresh?.get(s);
      if (!labels) throw new Error(`series ${fp} is unknown to the writer and came without labels`);
      id = (insSeries.get(fp, labels.__name__, JSON.stringify(labels), now) as { id: number }).id;
      seriesIds.set(fp, id);
      res.newSeries++;
    }
    const h = headOf(id);
    const cmax = compactedMax(id);
    const accTs = new Float64Array(n);
    const accVs = new Float64Array(n);
    let m = 0;
    for (let i = from; i < from + n; i++) {
      const t = req.ts[i]!;
      const v = req.vs[i]!;
      if (t < req.minTs) {
        res.tooOld++;
        continue;
      }
      if (t > h.max && t > cmax) h.insertAt(h.n, t, v); // the usual case: newer than anything stored
      else {
        const at = h.find(t);
        const prev = at >= 0 ? h.vs[at]! : t <= cmax ? chunkValue(id, t) : undefined;
        if (prev !== undefined) {
          if (sameSample(prev, v)) res.duplicates++;
          else res.conflicts++;
          continue;
        }
        h.insertAt(-at - 1, t, v);
      }
      accTs[m] = t;
      accVs[m] = v;
      m++;
    }
    if (m) {
      wal.push({ id, ts: accTs.subarray(0, m), vs: accVs.subarray(0, m) });
      res.accepted += m;
      headSamples += m;
    }
  }
  return res;
}

const upMeta = db.prepare('INSERT INTO metadata (metric, type, help, unit) VALUES (?, ?, ?, ?) ON CONFLICT (metric) DO UPDATE SET type = excluded.type, help = excluded.help, unit = excluded.unit');

let queue: WriterRequest[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const reqs = queue;
  queue = [];
  const replies: WriterResponse[] = [];
  const now = Date.now();
  let closing = false;
  let retentionReq: Extract<WriterRequest, { op: 'retention' }> | undefined;
  try {
    db.transaction(() => {
      const wal: WalSeries[] = [];
      let walSamples = 0;
      for (const r of reqs) {
        switch (r.op) {
          case 'append': {
            const res = appendOne(r, now, wal);
            walSamples += res.accepted;
            replies.push({ id: r.id, ok: true, result: res });
            break;
          }
          case 'metadata':
            for (const m of r.meta) upMeta.run(m.metric, m.type, m.help, m.unit);
            replies.push({ id: r.id, ok: true, result: null });
            break;
          case 'retention':
            retentionReq = r; // after this group's commit and a compaction, see below
            replies.push({ id: r.id, ok: true, result: 0 });
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
      if (walSamples) insWal.run(walSamples, encodeWal(wal));
    })();
  } catch (e) {
    // the whole group rolled back: every caller in it gets the error (none was acknowledged),
    // and the head and caches are rebuilt from what is committed
    loadSeries();
    lastChunks.clear();
    loadHead();
    parentPort!.postMessage(reqs.map((r) => ({ id: r.id, ok: false, error: (e as Error).message }) satisfies WriterResponse));
    return;
  }
  // a compaction or retention asked for explicitly runs before its caller is answered
  const wantCompact = closing || retentionReq !== undefined || reqs.some((r) => r.op === 'compact');
  if (wantCompact) {
    try {
      compact();
      if (retentionReq) {
        const rep = replies.find((x) => x.id === retentionReq!.id)!;
        (rep as { result: unknown }).result = retention(retentionReq);
      }
    } catch (e) {
      for (const rep of replies) {
        const op = reqs.find((r) => r.id === rep.id)?.op;
        if (op === 'compact' || op === 'retention') Object.assign(rep, { ok: false, error: (e as Error).message });
      }
    }
  }
  if (closing) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  // one message for the whole group: each postMessage costs more than the replies it carries
  parentPort!.postMessage(replies);
  if (closing) process.exit(0);
  if (!wantCompact && (headSamples >= COMPACT_SAMPLES || (headSamples && Date.now() - lastCompaction >= COMPACT_MS))) scheduleCompaction();
}

function scheduleCompaction(): void {
  if (cycle) return; // a cycle is under way
  cycle = { seq: maxWalSeq.get() as number | null, parts: slices(), i: 0 };
  setImmediate(compactionStep);
}
// a quiet store still compacts what it holds
setInterval(() => {
  if (headSamples && Date.now() - lastCompaction >= COMPACT_MS) scheduleCompaction();
}, COMPACT_MS).unref();

/** Deletes raw samples and rollups older than the cutoffs (the head is compacted first). */
function retention(r: Extract<WriterRequest, { op: 'retention' }>): number {
  let n = 0;
  db.transaction(() => {
    n += (db.prepare('SELECT coalesce(sum(n), 0) FROM chunks WHERE end_ts < ?').pluck().get(r.raw) as number) ?? 0;
    db.prepare('DELETE FROM chunks WHERE end_ts < ?').run(r.raw);
    // chunks that straddle the cutoff keep their newer samples only
    const straddling = db.prepare('SELECT series_id, start_ts, data FROM chunks WHERE start_ts < ? AND end_ts >= ?').raw(true).all(r.raw, r.raw) as [number, number, Buffer][];
    for (const [id, start, data] of straddling) {
      const run = decodeChunk(data);
      let k = 0;
      while (run.ts[k]! < r.raw) k++;
      n += k;
      delChunk.run(id, start);
      putRun(id, { ts: run.ts.subarray(k), vs: run.vs.subarray(k) });
    }
    const ids = db.prepare('SELECT id FROM series').pluck().all() as number[];
    const del1m = db.prepare('DELETE FROM rollup_1m WHERE series_id = ? AND bucket < ?');
    const del1h = db.prepare('DELETE FROM rollup_1h WHERE series_id = ? AND bucket < ?');
    for (const id of ids) {
      n += del1m.run(id, r.r1m).changes;
      n += del1h.run(id, r.r1h).changes;
    }
  })();
  lastChunks.clear();
  return n;
}

// ---- the row layout of earlier versions (samples and head tables): converted once ------------
function migrate(): void {
  const has = (t: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
  if (!has('samples') && !has('head')) return;
  const valueOf = (v: number | null, k: number) => v ?? (k === KIND_STALE ? STALE_NAN : NaN);
  db.transaction(() => {
    // compacted rows (their rollups exist) become chunks
    if (has('samples')) {
      // one series at a time: the connection cannot write while a read iterates
      const ids = db.prepare('SELECT DISTINCT series_id FROM samples').pluck().all() as number[];
      const rowsOf = db.prepare('SELECT ts, v, k FROM samples WHERE series_id = ? ORDER BY ts').raw(true);
      for (const id of ids) {
        const run = new RunBuilder();
        for (const [t, v, k] of rowsOf.all(id) as [number, number | null, number][]) run.insertAt(run.n, t, valueOf(v, k));
        putRun(id, run.run());
      }
      db.exec('DROP TABLE samples');
    }
    // uncompacted rows (no rollups yet) go through the wal like new samples
    if (has('head')) {
      const bySeries = new Map<number, RunBuilder>();
      for (const [sid, t, v, k] of db.prepare('SELECT series_id, ts, v, k FROM head ORDER BY series_id, ts').raw(true).iterate() as IterableIterator<[number, number, number | null, number]>) {
        let e = bySeries.get(sid);
        if (!e) bySeries.set(sid, (e = new RunBuilder()));
        e.insertAt(e.n, t, valueOf(v, k));
      }
      const wal: WalSeries[] = [...bySeries].map(([sid, e]) => ({ id: sid, ...e.run() }));
      const n = wal.reduce((a, s) => a + s.ts.length, 0);
      if (n) insWal.run(n, encodeWal(wal));
      db.exec('DROP TABLE head');
    }
  })();
  lastChunks.clear();
}

migrate();
loadSeries();
loadHead();

parentPort!.on('message', (req: WriterRequest) => {
  queue.push(req);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
parentPort!.postMessage({ id: 0, ok: true, result: 'ready' } satisfies WriterResponse);
