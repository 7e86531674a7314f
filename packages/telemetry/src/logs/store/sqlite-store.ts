import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { newId } from '@sreworks/kernel';
import { labelsKey, matchesAll } from '../labels.js';
import { decodeCursor, encodeCursor, eventFingerprintOrNull, textTerms } from './shared.js';
import type {
  EventInput,
  EventPage,
  EventQuery,
  LabelMatcher,
  Labels,
  LogBatch,
  LogCountQuery,
  LogCountRow,
  LogSelectQuery,
  LogStore,
  LogStreamInput,
  RetentionPolicy,
  RetentionResult,
  StoredEvent,
  StreamInfo,
  TimeRange,
} from '../types.js';

export interface SqliteLogStoreOptions {
  /** File path of the logs database (its own file, apart from the state store), or ':memory:'. */
  path: string;
  /**
   * 'full' fsyncs the WAL at every commit (survives power loss); 'normal' survives a killed
   * process but not an OS crash. Default 'full': a 2xx must mean durable.
   */
  synchronous?: 'full' | 'normal';
  /**
   * 'thread' (default for files): lines are written by a worker thread with its own connection,
   * so commits and fsyncs never block the event loop; reads stay on this thread (WAL).
   * 'inline': written here, in batched transactions (always so for ':memory:').
   */
  writer?: 'thread' | 'inline';
}

interface StreamRec {
  id: number;
  labels: Labels;
  minTs: bigint;
  maxTs: bigint;
}

interface Pending {
  streams: LogStreamInput[];
  resolve: (n: number) => void;
  reject: (e: unknown) => void;
}

const HOUR_NS = 3_600_000_000_000n;

/**
 * Embedded log store: SQLite in its own file, WAL, one stream dictionary kept in memory, and
 * entries clustered by (stream, ts) in a WITHOUT ROWID table so a selector reads contiguous
 * pages. Events get a trigram FTS5 index for text search. Lines get none: measured
 * (docs/benchmarks/telemetry-logs.md), a trigram index on lines cut push throughput about
 * tenfold and did not speed up the dashboard query, which the clustering already narrows.
 * Appends are group-committed: every append waiting in the same tick shares one transaction,
 * and each promise resolves only after COMMIT returned.
 */
export class SqliteLogStore implements LogStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  /** Tie-breaker for lines of one stream with one timestamp; grows with insertion order. */
  private seq = BigInt(Date.now()) * 1000n;
  private readonly byKey = new Map<string, StreamRec>();
  private readonly byId = new Map<number, StreamRec>();
  private pending: Pending[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly st: ReturnType<SqliteLogStore['prepare']>;
  private readonly worker: Worker | undefined;
  private workerBusy = false;
  private workerError: Error | undefined;
  private nextMsg = 1;
  private readonly replies = new Map<number, { resolve: (m: WorkerReply) => void; reject: (e: Error) => void }>();

  constructor(opts: SqliteLogStoreOptions) {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('busy_timeout = 10000');
    this.migrate();
    this.st = this.prepare();
    for (const r of this.db.prepare('SELECT id, labels, min_ts, max_ts FROM log_streams').safeIntegers(true).all() as { id: bigint; labels: string; min_ts: bigint; max_ts: bigint }[]) {
      const rec: StreamRec = { id: Number(r.id), labels: JSON.parse(r.labels) as Labels, minTs: r.min_ts, maxTs: r.max_ts };
      this.byKey.set(labelsKey(rec.labels), rec);
      this.byId.set(rec.id, rec);
    }
    if (opts.path !== ':memory:' && (opts.writer ?? 'thread') === 'thread') {
      this.worker = new Worker(new URL('./sqlite-writer.mjs', import.meta.url), { workerData: { path: opts.path, synchronous: opts.synchronous === 'normal' ? 'NORMAL' : 'FULL' } });
      this.worker.on('message', (m: WorkerReply) => {
        const r = this.replies.get(m.id);
        this.replies.delete(m.id);
        if (!r) return;
        if (m.ok) r.resolve(m);
        else r.reject(new Error(`log writer: ${m.error}`));
      });
      const fail = (e: Error) => {
        this.workerError = e;
        for (const r of this.replies.values()) r.reject(e);
        this.replies.clear();
        for (const p of this.pending.splice(0)) p.reject(e);
      };
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => {
        if (!this.closed) fail(new Error(`log writer thread exited with code ${code}`));
      });
    }
  }

  private ask(msg: Record<string, unknown>): Promise<WorkerReply> {
    if (this.workerError) return Promise.reject(this.workerError);
    const id = this.nextMsg++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.worker!.postMessage({ ...msg, id });
    });
  }

  private migrate(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS log_streams (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, labels TEXT NOT NULL,
        min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS log_entries (
        stream_id INTEGER NOT NULL, ts INTEGER NOT NULL, seq INTEGER NOT NULL, line TEXT NOT NULL, meta TEXT,
        PRIMARY KEY (stream_id, ts, seq)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS log_events (
        id TEXT PRIMARY KEY, ts INTEGER NOT NULL, labels TEXT NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL,
        message TEXT NOT NULL, count INTEGER NOT NULL, fingerprint TEXT UNIQUE, attributes TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS log_events_ts ON log_events (ts, id);
      CREATE VIRTUAL TABLE IF NOT EXISTS log_events_fts USING fts5 (text, content='', tokenize='trigram');
    `);
  }

  private prepare() {
    const db = this.db;
    return {
      insStream: db.prepare('INSERT INTO log_streams (key, labels, min_ts, max_ts) VALUES (?, ?, ?, ?)'),
      updStream: db.prepare('UPDATE log_streams SET min_ts = ?, max_ts = ? WHERE id = ?'),
      insEntry: db.prepare('INSERT INTO log_entries (stream_id, ts, seq, line, meta) VALUES (?, ?, ?, ?, ?)'),
      getEventByFp: db.prepare('SELECT id, ts, message, reason FROM log_events WHERE fingerprint = ?'),
      insEvent: db.prepare(
        'INSERT INTO log_events (id, ts, labels, type, reason, message, count, fingerprint, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updEvent: db.prepare('UPDATE log_events SET ts = ?, labels = ?, type = ?, reason = ?, message = ?, count = ?, attributes = ? WHERE id = ?'),
      rowidOfEvent: db.prepare('SELECT rowid AS r FROM log_events WHERE id = ?'),
      insEventFts: db.prepare('INSERT INTO log_events_fts (rowid, text) VALUES (?, ?)'),
      delEventFts: db.prepare(`INSERT INTO log_events_fts (log_events_fts, rowid, text) VALUES ('delete', ?, ?)`),
    };
  }

  append(streams: LogStreamInput[]): Promise<{ accepted: number }> {
    if (this.closed) return Promise.reject(new Error('log store is closed'));
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ streams, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    }).then((accepted) => ({ accepted }));
  }

  /** Commit every append queued so far in one transaction (group commit: one fsync for many requests). */
  private flush(): void {
    this.flushScheduled = false;
    if (this.worker) {
      void this.flushToWorker();
      return;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const touched = new Map<StreamRec, { min: bigint; max: bigint; isNew: boolean }>();
    const counts: number[] = [];
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          let n = 0;
          for (const s of p.streams) {
            if (s.entries.length === 0) continue;
            const rec = this.streamFor(s.labels, touched);
            const t = touched.get(rec)!;
            for (const e of s.entries) {
              this.st.insEntry.run(rec.id, e.ts, this.seq++, e.line, e.metadata && Object.keys(e.metadata).length > 0 ? JSON.stringify(e.metadata) : null);
              if (e.ts < t.min) t.min = e.ts;
              if (e.ts > t.max) t.max = e.ts;
              n++;
            }
          }
          counts.push(n);
        }
        for (const [rec, t] of touched) this.st.updStream.run(t.min, t.max, rec.id);
      })();
    } catch (e) {
      // Roll back the in-memory dictionary for streams created in the failed transaction.
      for (const [rec, t] of touched) {
        if (t.isNew) {
          this.byId.delete(rec.id);
          this.byKey.delete(labelsKey(rec.labels));
        }
      }
      for (const p of batch) p.reject(e);
      return;
    }
    for (const [rec, t] of touched) {
      rec.minTs = t.min;
      rec.maxTs = t.max;
    }
    batch.forEach((p, i) => p.resolve(counts[i]!));
  }

  /** One commit in flight at a time; appends arriving meanwhile go together in the next one. */
  private async flushToWorker(): Promise<void> {
    if (this.workerBusy) return;
    this.workerBusy = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        const groups: { key: string; entries: [bigint, string, string | null][] }[] = [];
        const counts = batch.map((p) => {
          let n = 0;
          for (const s of p.streams) {
            if (s.entries.length === 0) continue;
            groups.push({ key: labelsKey(s.labels), entries: s.entries.map((e) => [e.ts, e.line, e.metadata && Object.keys(e.metadata).length > 0 ? JSON.stringify(e.metadata) : null]) });
            n += s.entries.length;
          }
          return n;
        });
        try {
          const reply = await this.ask({ type: 'append', groups });
          for (const u of reply.streams ?? []) {
            let rec = this.byId.get(u.id);
            if (!rec) {
              rec = { id: u.id, labels: JSON.parse(u.key) as Labels, minTs: u.min, maxTs: u.max };
              this.byId.set(rec.id, rec);
              this.byKey.set(u.key, rec);
            }
            rec.minTs = u.min;
            rec.maxTs = u.max;
          }
          batch.forEach((p, i) => p.resolve(counts[i]!));
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.workerBusy = false;
    }
  }

  private streamFor(labels: Labels, touched: Map<StreamRec, { min: bigint; max: bigint; isNew: boolean }>): StreamRec {
    const key = labelsKey(labels);
    let rec = this.byKey.get(key);
    if (!rec) {
      const first = 0n;
      const info = this.st.insStream.run(key, key, first, first);
      rec = { id: Number(info.lastInsertRowid), labels: JSON.parse(key) as Labels, minTs: 0n, maxTs: 0n };
      this.byKey.set(key, rec);
      this.byId.set(rec.id, rec);
      touched.set(rec, { min: BigInt('9223372036854775807'), max: -1n, isNew: true });
    } else if (!touched.has(rec)) {
      touched.set(rec, { min: rec.minTs, max: rec.maxTs, isNew: false });
    }
    return rec;
  }

  private matching(matchers: readonly LabelMatcher[], range: TimeRange): StreamRec[] {
    const out: StreamRec[] = [];
    for (const rec of this.byId.values()) {
      if (rec.maxTs < range.from || rec.minTs >= range.to) continue;
      if (matchesAll(matchers, rec.labels)) out.push(rec);
    }
    return out;
  }

  async *select(q: LogSelectQuery): AsyncIterable<LogBatch> {
    const recs = this.matching(q.matchers, { from: q.from, to: q.to });
    if (recs.length === 0) return;
    const streams = new Map<string, Labels>(recs.map((r) => [String(r.id), r.labels]));
    const ids = JSON.stringify(recs.map((r) => r.id));
    const where: string[] = ['stream_id IN (SELECT value FROM json_each(?))', 'ts >= ?', 'ts < ?'];
    const params: unknown[] = [];
    const span = q.to - q.from;
    for (const f of q.filters ?? []) {
      if (f.op === '|=') {
        where.push('instr(line, ?) > 0');
        params.push(f.value);
      } else if (f.op === '!=') {
        where.push('instr(line, ?) = 0');
        params.push(f.value);
      }
    }
    const backward = q.direction === 'backward';
    const cols = q.withoutLine ? `stream_id, ts, seq, '' AS line, length(CAST(line AS BLOB)) AS bytes, meta` : 'stream_id, ts, seq, line, meta';
    const dir = backward ? 'DESC' : 'ASC';
    // Pages are read whole (keyset on (ts, seq)), never through an iterator left open across a
    // yield: the connection is shared, and another query may run while this one is suspended.
    const stmt = this.db
      .prepare(`SELECT ${cols} FROM log_entries WHERE ${where.join(' AND ')} AND (ts, seq) ${backward ? '<' : '>'} (?, ?) ORDER BY ts ${dir}, seq ${dir} LIMIT ?`)
      .safeIntegers(true);
    const batchSize = q.batchSize ?? 5000;
    // Walk the range in time windows so an ORDER BY over many streams sorts a small set, and a
    // caller with a limit stops early. Windows grow while they come back sparse.
    let window = span < HOUR_NS ? span : HOUR_NS / 4n;
    let lo = q.from;
    let hi = q.to;
    type Raw = { stream_id: bigint; ts: bigint; seq: bigint; line: string; bytes?: bigint; meta: string | null };
    while (backward ? hi > q.from : lo < q.to) {
      const wFrom = backward ? (hi - window > q.from ? hi - window : q.from) : lo;
      const wTo = backward ? hi : lo + window < q.to ? lo + window : q.to;
      let cursor: [bigint, bigint] = backward ? [wTo, -1n] : [wFrom, -1n];
      let seen = 0;
      for (;;) {
        const page = stmt.all(ids, wFrom, wTo, ...params, cursor[0], cursor[1], batchSize) as Raw[];
        seen += page.length;
        if (page.length > 0) {
          const last = page[page.length - 1]!;
          cursor = [last.ts, last.seq];
          yield {
            streams,
            rows: page.map((r) => ({
              streamId: String(r.stream_id),
              ts: r.ts,
              line: r.line,
              bytes: r.bytes !== undefined ? Number(r.bytes) : Buffer.byteLength(r.line),
              ...(r.meta ? { metadata: JSON.parse(r.meta) as Labels } : {}),
            })),
          };
        }
        if (page.length < batchSize) break;
      }
      if (backward) hi = wFrom;
      else lo = wTo;
      if (seen < batchSize && window < 1_000n * HOUR_NS) window *= 4n;
    }
  }

  async countBuckets(q: LogCountQuery): Promise<{ streams: Map<string, Labels>; rows: LogCountRow[] }> {
    const recs = this.matching(q.matchers, { from: q.from, to: q.to });
    const streams = new Map<string, Labels>(recs.map((r) => [String(r.id), r.labels]));
    if (recs.length === 0) return { streams, rows: [] };
    const where: string[] = ['stream_id IN (SELECT value FROM json_each(?))', 'ts >= ?', 'ts < ?'];
    const params: unknown[] = [JSON.stringify(recs.map((r) => r.id)), q.from, q.to];
    for (const f of q.filters ?? []) {
      if (f.op === '|=' || f.op === '!=') {
        where.push(`instr(line, ?) ${f.op === '|=' ? '> 0' : '= 0'}`);
        params.push(f.value);
      } else throw new Error(`countBuckets cannot apply ${f.op}`);
    }
    const bytes = q.withBytes ? 'sum(length(CAST(line AS BLOB)))' : '0';
    const stmt = this.db
      .prepare(`SELECT stream_id, meta, (ts - ?) / ? AS b, count(*) AS c, ${bytes} AS n FROM log_entries WHERE ${where.join(' AND ')} GROUP BY stream_id, meta, b`)
      .safeIntegers(true);
    const rows: LogCountRow[] = [];
    for (const r of stmt.iterate(q.from, q.width, ...params) as IterableIterator<{ stream_id: bigint; meta: string | null; b: bigint; c: bigint; n: bigint | null }>) {
      rows.push({ streamId: String(r.stream_id), bucket: Number(r.b), count: Number(r.c), bytes: Number(r.n ?? 0), ...(r.meta ? { metadata: JSON.parse(r.meta) as Labels } : {}) });
    }
    return { streams, rows };
  }

  async streams(matchers: LabelMatcher[], range: TimeRange): Promise<StreamInfo[]> {
    return this.matching(matchers, range).map((r) => ({ id: String(r.id), labels: r.labels }));
  }

  async labelNames(range: TimeRange, matchers: LabelMatcher[] = []): Promise<string[]> {
    const names = new Set<string>();
    for (const r of this.matching(matchers, range)) for (const k of Object.keys(r.labels)) names.add(k);
    return [...names].sort();
  }

  async labelValues(name: string, range: TimeRange, matchers: LabelMatcher[] = []): Promise<string[]> {
    const values = new Set<string>();
    for (const r of this.matching(matchers, range)) {
      const v = r.labels[name];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  async appendEvents(events: EventInput[]): Promise<{ accepted: number }> {
    if (this.closed) throw new Error('log store is closed');
    this.db.transaction(() => {
      for (const e of events) {
        const fp = eventFingerprintOrNull(e);
        const labels = JSON.stringify(e.labels);
        const attrs = JSON.stringify(e.attributes ?? {});
        const prev = fp ? (this.st.getEventByFp.get(fp) as { id: string; message: string; reason: string } | undefined) : undefined;
        if (prev) {
          const rowid = (this.st.rowidOfEvent.get(prev.id) as { r: number }).r;
          this.st.delEventFts.run(rowid, `${prev.reason}\n${prev.message}`);
          this.st.updEvent.run(e.time, labels, e.type ?? '', e.reason ?? '', e.message, e.count ?? 1, attrs, prev.id);
          this.st.insEventFts.run(rowid, `${e.reason ?? ''}\n${e.message}`);
        } else {
          const id = newId(e.time);
          this.st.insEvent.run(id, e.time, labels, e.type ?? '', e.reason ?? '', e.message, e.count ?? 1, fp, attrs);
          const rowid = (this.st.rowidOfEvent.get(id) as { r: number }).r;
          this.st.insEventFts.run(rowid, `${e.reason ?? ''}\n${e.message}`);
        }
      }
    })();
    return { accepted: events.length };
  }

  async searchEvents(q: EventQuery): Promise<EventPage> {
    const where = ['ts >= ?', 'ts < ?'];
    const params: unknown[] = [q.from, q.to];
    const cur = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (cur) {
      where.push('(ts < ? OR (ts = ? AND id < ?))');
      params.push(cur.ts, cur.ts, cur.id);
    }
    for (const m of q.matchers ?? []) {
      if (m.op === '=') {
        where.push(`coalesce(json_extract(labels, ?), '') = ?`);
        params.push(`$."${m.name}"`, m.value);
      }
    }
    const terms = textTerms(q.text);
    for (const t of terms) {
      if (t.length >= 3) {
        where.push('rowid IN (SELECT rowid FROM log_events_fts WHERE log_events_fts MATCH ?)');
        params.push(`"${t.replaceAll('"', '""')}"`);
      } else {
        where.push(`(instr(lower(message), ?) > 0 OR instr(lower(reason), ?) > 0)`);
        params.push(t, t);
      }
    }
    const stmt = this.db.prepare(`SELECT * FROM log_events WHERE ${where.join(' AND ')} ORDER BY ts DESC, id DESC`);
    const items: StoredEvent[] = [];
    const others = (q.matchers ?? []).filter((m) => m.op !== '=');
    for (const r of stmt.iterate(...params) as IterableIterator<Record<string, unknown>>) {
      const ev = rowToEvent(r);
      if (others.length > 0 && !matchesAll(others, ev.labels)) continue;
      // FTS trigram matching is case-insensitive but may match across the reason/message join.
      if (terms.length > 0 && !terms.every((t) => `${ev.reason}\n${ev.message}`.toLowerCase().includes(t))) continue;
      if (items.length === q.limit) {
        const last = items[items.length - 1]!;
        return { items, nextCursor: encodeCursor(last.time, last.id) };
      }
      items.push(ev);
    }
    return { items, nextCursor: null };
  }

  async retain(policy: RetentionPolicy): Promise<RetentionResult> {
    let logsDeleted = 0;
    let eventsDeleted = 0;
    if (policy.logsBefore !== undefined && this.worker) {
      const r = await this.ask({ type: 'retain', before: policy.logsBefore });
      logsDeleted = Number(r.deleted ?? 0);
      for (const c of r.changes ?? []) {
        const rec = this.byKey.get(c.key);
        if (!rec) continue;
        if (c.min === null) {
          this.byKey.delete(c.key);
          this.byId.delete(rec.id);
        } else rec.minTs = c.min;
      }
    } else if (policy.logsBefore !== undefined) {
      const before = policy.logsBefore;
      const del = this.db.prepare('DELETE FROM log_entries WHERE stream_id = ? AND ts < ?');
      const minOf = this.db.prepare('SELECT min(ts) AS m FROM log_entries WHERE stream_id = ?').safeIntegers(true);
      const dropStream = this.db.prepare('DELETE FROM log_streams WHERE id = ?');
      for (const rec of [...this.byId.values()]) {
        if (rec.minTs >= before) continue;
        this.db.transaction(() => {
          logsDeleted += del.run(rec.id, before).changes;
          const m = (minOf.get(rec.id) as { m: bigint | null }).m;
          if (m === null) {
            dropStream.run(rec.id);
            this.byId.delete(rec.id);
            this.byKey.delete(labelsKey(rec.labels));
          } else {
            rec.minTs = m;
            this.st.updStream.run(rec.minTs, rec.maxTs, rec.id);
          }
        })();
      }
    }
    if (policy.eventsBefore !== undefined) {
      this.db.transaction(() => {
        const rows = this.db.prepare('SELECT rowid AS r, reason, message FROM log_events WHERE ts < ?').all(policy.eventsBefore) as { r: number; reason: string; message: string }[];
        for (const r of rows) this.st.delEventFts.run(r.r, `${r.reason}\n${r.message}`);
        eventsDeleted = this.db.prepare('DELETE FROM log_events WHERE ts < ?').run(policy.eventsBefore).changes;
      })();
    }
    return { logsDeleted, eventsDeleted };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.worker) {
      // Let queued appends commit before the writer stops.
      while (this.pending.length > 0 || this.workerBusy) {
        if (!this.workerBusy) void this.flushToWorker();
        await new Promise((r) => setTimeout(r, 1));
      }
      if (!this.workerError) await this.ask({ type: 'close' }).catch(() => undefined);
      this.closed = true;
      await this.worker.terminate();
    } else {
      this.flush();
      this.closed = true;
    }
    this.db.close();
  }
}

interface WorkerReply {
  id: number;
  ok: boolean;
  error?: string;
  streams?: { key: string; id: number; min: bigint; max: bigint }[];
  deleted?: number;
  changes?: { key: string; min: bigint | null }[];
}

function rowToEvent(r: Record<string, unknown>): StoredEvent {
  return {
    id: r.id as string,
    time: Number(r.ts),
    labels: JSON.parse(r.labels as string) as Labels,
    type: r.type as string,
    reason: r.reason as string,
    message: r.message as string,
    count: Number(r.count),
    fingerprint: (r.fingerprint as string | null) ?? null,
    attributes: JSON.parse(r.attributes as string) as Record<string, unknown>,
  };
}
