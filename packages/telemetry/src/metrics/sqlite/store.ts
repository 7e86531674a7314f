// The embedded metrics store: one SQLite file in the data dir. Writes go to a worker thread
// (see writer.ts) and resolve after commit; reads run on a read-only WAL connection here.
import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Labels, type Matcher, type SelectHints, type SeriesData } from '@sreworks/promql';
import { compileMatchers, fingerprint, metricNameOf, seriesKey } from '../labels.js';
import { chooseResolution, rollupValueColumn } from '../resolution.js';
import {
  DEFAULT_RETENTION,
  type AppendResult,
  type MetricMetadata,
  type MetricsStore,
  type MetricType,
  type Resolution,
  type RetentionPolicy,
  type SeriesSamples,
  type StoreStats,
} from '../types.js';
import { chunkCount, decodeChunkInto, decodeWal, mergeRuns, type Run } from './chunk.js';
import { type WriterRequest, type WriterResponse } from './schema.js';

export interface SqliteMetricsStoreOptions {
  /** the metrics database file, e.g. `<dataDir>/metrics.db`. */
  file: string;
  /**
   * FULL (default): every commit fsyncs the WAL, so an acknowledged write survives power loss.
   * NORMAL: survives a process crash (kill -9) but not an OS crash.
   */
  synchronous?: 'FULL' | 'NORMAL';
  retention?: Partial<RetentionPolicy>;
  /**
   * compact the head into chunks once it holds this many samples (default 200,000; also every
   * 10 s). Smaller values only make sense in tests that want compactions under load.
   */
  compactEverySamples?: number;
  /** run applyRetention() this often (ms); 0 or absent: the caller schedules it. */
  retentionIntervalMs?: number;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface SeriesEntry {
  id: number;
  labels: Labels;
}

export class SqliteMetricsStore implements MetricsStore {
  readonly kind = 'sqlite' as const;
  readonly retention: RetentionPolicy;
  private retentionTimer?: NodeJS.Timeout;
  /** series fingerprint per labels object (ingestion reuses one frozen object per series). */
  private readonly idCache = new WeakMap<object, string>();
  /** fingerprints the writer has committed: later appends send no labels for them. */
  private readonly knownFps = new Set<string>();
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; samples: number }>();
  private nextId = 1;
  private pendingSamples = 0;
  private reader!: Database.Database;
  private readonly byMetric = new Map<string, SeriesEntry[]>();
  private readonly all: SeriesEntry[] = [];
  private lastSeriesId = 0;
  private closed = false;
  private readonly stmts = new Map<string, Database.Statement>();

  private constructor(
    private readonly worker: Worker,
    readonly file: string,
    retention: RetentionPolicy,
  ) {
    this.retention = retention;
  }

  static async open(opts: SqliteMetricsStoreOptions): Promise<SqliteMetricsStore> {
    mkdirSync(dirname(opts.file), { recursive: true });
    const worker = new Worker(new URL('./writer-entry.mjs', import.meta.url), {
      workerData: { file: opts.file, synchronous: opts.synchronous ?? 'FULL', compactEverySamples: opts.compactEverySamples ?? 200_000 },
    });
    const store = new SqliteMetricsStore(worker, opts.file, { ...DEFAULT_RETENTION, ...opts.retention });
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: WriterResponse) => {
        if (m.id === 0) {
          worker.off('error', reject);
          resolve();
        }
      };
      worker.once('message', onMsg);
      worker.once('error', reject);
    });
    worker.on('message', (m: WriterResponse | WriterResponse[]) => {
      if (Array.isArray(m)) for (const r of m) store.onReply(r);
      else store.onReply(m);
    });
    worker.on('error', (e) => store.failAll(e));
    worker.on('exit', (code) => store.failAll(new Error(`metrics writer exited with code ${code}`)));
    store.reader = new Database(opts.file, { readonly: true, fileMustExist: true });
    if (opts.retentionIntervalMs) {
      store.retentionTimer = setInterval(() => void store.applyRetention().catch(() => undefined), opts.retentionIntervalMs);
      store.retentionTimer.unref();
    }
    return store;
  }

  /** samples handed to the writer and not yet committed. */
  get pendingSampleCount(): number {
    return this.pendingSamples;
  }

  private onReply(m: WriterResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.pendingSamples -= p.samples;
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`metrics write failed: ${m.error}`));
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.pendingSamples = 0;
  }

  private call<T>(req: DistributiveOmit<WriterRequest, 'id'>, samples = 0, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metrics store is closed'));
    const id = this.nextId++;
    this.pendingSamples += samples;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, samples });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  async append(batch: SeriesSamples[]): Promise<AppendResult> {
    // one packed message: samples back to back in two Float64Arrays that are transferred, not
    // cloned; labels travel only until the writer has committed the series once
    let n = 0;
    for (const s of batch) n += s.timestamps.length;
    let fps = '';
    const fresh: [number, Labels][] = [];
    const counts = new Uint32Array(batch.length);
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    const sent: string[] = [];
    let o = 0;
    for (let i = 0; i < batch.length; i++) {
      const s = batch[i]!;
      let fp = this.idCache.get(s.labels);
      if (fp === undefined) {
        fp = fingerprint(seriesKey(s.labels));
        this.idCache.set(s.labels, fp);
      }
      fps += fp;
      if (!this.knownFps.has(fp)) {
        fresh.push([i, s.labels]);
        sent.push(fp);
      }
      const m = s.timestamps.length;
      counts[i] = m;
      if (s.timestamps instanceof Float64Array) ts.set(s.timestamps, o);
      else for (let j = 0; j < m; j++) ts[o + j] = s.timestamps[j]!;
      // values are copied as typed arrays: plain numbers may not keep the stale-NaN payload
      vs.set(s.values instanceof Float64Array ? s.values : Float64Array.from(s.values), o);
      o += m;
    }
    const r = await this.call<AppendResult>({ op: 'append', fps, fresh, counts, ts, vs, minTs: Date.now() - this.retention.rawMs }, n, [ts.buffer, vs.buffer]);
    for (const fp of sent) this.knownFps.add(fp);
    return r;
  }

  async appendMetadata(meta: MetricMetadata[]): Promise<void> {
    if (meta.length) await this.call({ op: 'metadata', meta });
  }

  async metadata(metric?: string, limit?: number): Promise<MetricMetadata[]> {
    const rows = (
      metric
        ? this.reader.prepare('SELECT metric, type, help, unit FROM metadata WHERE metric = ?').all(metric)
        : this.reader.prepare('SELECT metric, type, help, unit FROM metadata ORDER BY metric LIMIT ?').all(limit ?? -1)
    ) as { metric: string; type: MetricType; help: string; unit: string }[];
    return rows;
  }

  /**
   * Moves recent samples from the head into the samples table and the rollups now. The writer
   * does this by itself every 10 s (or 200,000 rows); rollup reads lag by at most that.
   */
  async compact(): Promise<void> {
    await this.call({ op: 'compact' });
  }

  async applyRetention(nowMs = Date.now()): Promise<number> {
    const r = this.retention;
    return this.call<number>({ op: 'retention', raw: nowMs - r.rawMs, r1m: nowMs - r.rollup1mMs, r1h: nowMs - r.rollup1hMs });
  }

  private refreshSeries(): void {
    const rows = this.reader.prepare('SELECT id, labels FROM series WHERE id > ? ORDER BY id').all(this.lastSeriesId) as { id: number; labels: string }[];
    for (const r of rows) {
      const e: SeriesEntry = { id: r.id, labels: JSON.parse(r.labels) };
      this.all.push(e);
      const name = e.labels.__name__!;
      let list = this.byMetric.get(name);
      if (!list) this.byMetric.set(name, (list = []));
      list.push(e);
      this.lastSeriesId = r.id;
    }
  }

  private matching(matchers: Matcher[]): SeriesEntry[] {
    this.refreshSeries();
    const test = compileMatchers(matchers);
    const name = metricNameOf(matchers);
    const candidates = name !== undefined ? (this.byMetric.get(name) ?? []) : this.all;
    return candidates.filter((e) => test(e.labels));
  }

  /** samples still in the wal (not compacted), per series that `want` accepts, in commit order. */
  private walRuns(want: ((id: number) => boolean) | undefined): Map<number, Run[]> {
    const out = new Map<number, Run[]>();
    const rows = this.stmt('SELECT seq, data FROM wal ORDER BY seq').raw(true).all() as [number, Buffer][];
    if (!rows.length) return out;
    // wal entries of series compacted since (by a slice of the running compaction) are skipped
    const done = new Map(this.stmt('SELECT series_id, seq FROM wal_done').raw(true).all() as [number, number][]);
    for (const [seq, data] of rows) {
      decodeWal(data, (id) => (!want || want(id)) && (done.get(id) ?? 0) < seq, (s) => {
        const l = out.get(s.id);
        if (l) l.push(s);
        else out.set(s.id, [s]);
      });
    }
    return out;
  }

  private stmt(sql: string): Database.Statement {
    let st = this.stmts.get(sql);
    if (!st) this.stmts.set(sql, (st = this.reader.prepare(sql)));
    return st;
  }

  /** series that have samples (or rollups) in the range: the dictionary alone keeps deleted ones. */
  private activeIn(entries: SeriesEntry[], startMs: number, endMs: number): SeriesEntry[] {
    // the newest chunk starting before the end has the newest end of those (chunks never overlap)
    const chunk = this.stmt('SELECT end_ts FROM chunks WHERE series_id = ? AND start_ts <= ? ORDER BY start_ts DESC LIMIT 1').pluck();
    const r1h = this.stmt('SELECT 1 FROM rollup_1h WHERE series_id = ? AND bucket >= ? AND bucket <= ? LIMIT 1').pluck();
    const hStart = startMs - (startMs % 3_600_000);
    return this.reader.transaction(() => {
      const wal = this.walRuns(undefined);
      const inWal = (id: number) => wal.get(id)?.some((r) => r.ts.some((t) => t >= startMs && t <= endMs)) ?? false;
      return entries.filter((e) => {
        const end = chunk.get(e.id, endMs) as number | undefined;
        return (end !== undefined && end >= startMs) || inWal(e.id) || r1h.get(e.id, hStart, endMs) !== undefined;
      });
    })();
  }

  resolutionFor(startMs: number, endMs: number, hints?: SelectHints): Resolution {
    return chooseResolution(startMs, endMs, hints, this.retention, Date.now());
  }

  async select(matchers: Matcher[], startMs: number, endMs: number, hints?: SelectHints): Promise<SeriesData[]> {
    const entries = this.matching(matchers);
    const res = this.resolutionFor(startMs, endMs, hints);
    const out: SeriesData[] = [];
    if (!entries.length) return out;
    const ids = new Set(entries.map((e) => e.id));
    if (res === 'raw') {
      // the chunk holding startMs (the newest one starting at or before it) and every later one up to endMs
      const chunks = this.stmt(
        `SELECT data FROM chunks WHERE series_id = @id AND start_ts <= @to
           AND start_ts >= coalesce((SELECT max(start_ts) FROM chunks WHERE series_id = @id AND start_ts <= @from), -9223372036854775808)
         ORDER BY start_ts`,
      ).pluck();
      // one read transaction: a compaction between the reads cannot hide or double samples
      this.reader.transaction(() => {
        const wal = this.walRuns((id) => ids.has(id));
        for (const e of entries) {
          // decoded straight into one array per series; wal samples (and late ones) are merged after
          const datas = chunks.all({ id: e.id, from: startMs, to: endMs }) as Buffer[];
          const w = wal.get(e.id);
          let n = 0;
          for (const d of datas) n += chunkCount(d);
          if (w) for (const r of w) n += r.ts.length;
          if (!n) continue;
          let m: Run = { ts: new Float64Array(n), vs: new Float64Array(n) };
          let o = 0;
          for (const d of datas) o += decodeChunkInto(d, m.ts, m.vs, o);
          if (w) {
            const tail = o;
            for (const r of w) {
              m.ts.set(r.ts, o);
              m.vs.set(r.vs, o);
              o += r.ts.length;
            }
            let sorted = true;
            for (let i = Math.max(1, tail); i < o && sorted; i++) if (m.ts[i]! <= m.ts[i - 1]!) sorted = false;
            if (!sorted) m = mergeRuns([{ ts: m.ts.subarray(0, tail), vs: m.vs.subarray(0, tail) }, ...w]);
          }
          const lo = lowerBound(m.ts, startMs);
          const hi = lowerBound(m.ts, endMs + 1);
          if (hi > lo) out.push({ labels: e.labels, timestamps: m.ts.subarray(lo, hi), values: m.vs.subarray(lo, hi) });
        }
      })();
    } else {
      const table = res === '1m' ? 'rollup_1m' : 'rollup_1h';
      const width = res === '1m' ? 60_000 : 3_600_000;
      const col = rollupValueColumn(hints?.func);
      const from = startMs - (startMs % width);
      type Row = [bucket: number, min: number, max: number, sum: number, cnt: number, last: number, lastTs: number];
      const stmt = this.stmt(`SELECT bucket, min, max, sum, cnt, last, last_ts FROM ${table} WHERE series_id = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket`).raw(true);
      this.reader.transaction(() => {
        // samples not compacted yet are aggregated from the wal on the fly, so rollup reads do not lag
        const wal = this.walRuns((id) => ids.has(id));
        for (const e of entries) {
          const merged = new Map<number, Row>();
          for (const r of stmt.all(e.id, from, endMs) as Row[]) merged.set(r[0], r);
          const w = wal.get(e.id);
          if (w) {
            for (const h of aggregate(mergeRuns(w), width, from, endMs + width)) {
              const r = merged.get(h[0]);
              if (!r) merged.set(h[0], h);
              else merged.set(h[0], [r[0], Math.min(r[1], h[1]), Math.max(r[2], h[2]), r[3] + h[3], r[4] + h[4], h[6] >= r[6] ? h[5] : r[5], Math.max(r[6], h[6])]);
            }
          }
          const ts: number[] = [];
          const vs: number[] = [];
          for (const r of [...merged.values()].sort((x, y) => x[0] - y[0])) {
            if (r[6] < startMs || r[6] > endMs) continue;
            ts.push(r[6]);
            vs.push(col === 'min' ? r[1] : col === 'max' ? r[2] : col === 'sum / cnt' ? r[3] / r[4] : r[5]);
          }
          if (ts.length) out.push({ labels: e.labels, timestamps: ts, values: vs });
        }
      })();
    }
    return out;
  }

  async series(matchers: Matcher[], startMs: number, endMs: number): Promise<Labels[]> {
    return this.activeIn(this.matching(matchers), startMs, endMs).map((e) => e.labels);
  }

  async labelNames(matchers: Matcher[], startMs: number, endMs: number): Promise<string[]> {
    const entries = matchers.length ? this.activeIn(this.matching(matchers), startMs, endMs) : this.activeIn(this.matching([]), startMs, endMs);
    const names = new Set<string>();
    for (const e of entries) for (const k of Object.keys(e.labels)) names.add(k);
    return [...names].sort();
  }

  async labelValues(name: string, matchers: Matcher[], startMs: number, endMs: number): Promise<string[]> {
    const values = new Set<string>();
    for (const e of this.activeIn(this.matching(matchers), startMs, endMs)) {
      const v = e.labels[name];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  async stats(): Promise<StoreStats> {
    const c = (sql: string) => this.reader.prepare(sql).pluck().get() as number;
    return this.reader.transaction(() => ({
      series: c('SELECT count(*) FROM series'),
      rawSamples: c('SELECT coalesce(sum(n), 0) FROM chunks') + c('SELECT coalesce(sum(n), 0) FROM wal'),
      rollup1mRows: c('SELECT count(*) FROM rollup_1m'),
      rollup1hRows: c('SELECT count(*) FROM rollup_1h'),
    }))();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.retentionTimer);
    const done = new Promise<void>((r) => this.worker.once('exit', () => r()));
    await this.call({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await done;
    this.reader.close();
  }
}

/** first index with ts[i] >= t. */
function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type AggRow = [bucket: number, min: number, max: number, sum: number, cnt: number, last: number, lastTs: number];

/** rollup rows of a sorted run over [from, to], as the writer computes them (NaN does not count). */
function aggregate(run: Run, width: number, from: number, to: number): AggRow[] {
  const out: AggRow[] = [];
  let cur: AggRow | undefined;
  for (let i = 0; i < run.ts.length; i++) {
    const t = run.ts[i]!;
    const v = run.vs[i]!;
    if (t < from || t > to || Number.isNaN(v)) continue;
    const b = t - (t % width);
    if (!cur || cur[0] !== b) out.push((cur = [b, v, v, 0, 0, v, t]));
    if (v < cur[1]) cur[1] = v;
    if (v > cur[2]) cur[2] = v;
    cur[3] += v;
    cur[4]++;
    cur[5] = v;
    cur[6] = t;
  }
  return out;
}
