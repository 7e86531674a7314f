// The embedded metrics store: one SQLite file in the data dir. Writes go to a worker thread
// (see writer.ts) and resolve after commit; reads run on a read-only WAL connection here.
import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { STALE_NAN, type Labels, type Matcher, type SelectHints, type SeriesData } from '@sreworks/promql';
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
import { KIND_STALE, type WriterRequest, type WriterResponse } from './schema.js';

export interface SqliteMetricsStoreOptions {
  /** the metrics database file, e.g. `<dataDir>/metrics.db`. */
  file: string;
  /**
   * FULL (default): every commit fsyncs the WAL, so an acknowledged write survives power loss.
   * NORMAL: survives a process crash (kill -9) but not an OS crash.
   */
  synchronous?: 'FULL' | 'NORMAL';
  retention?: Partial<RetentionPolicy>;
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
  /** series identity per labels object (ingestion reuses one frozen object per series). */
  private readonly idCache = new WeakMap<object, { key: string; fp: string }>();
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; samples: number }>();
  private nextId = 1;
  private pendingSamples = 0;
  private reader!: Database.Database;
  private readonly byMetric = new Map<string, SeriesEntry[]>();
  private readonly all: SeriesEntry[] = [];
  private lastSeriesId = 0;
  private closed = false;

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
      workerData: { file: opts.file, synchronous: opts.synchronous ?? 'FULL' },
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
    worker.on('message', (m: WriterResponse) => store.onReply(m));
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

  private call<T>(req: DistributiveOmit<WriterRequest, 'id'>, samples = 0): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metrics store is closed'));
    const id = this.nextId++;
    this.pendingSamples += samples;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, samples });
      this.worker.postMessage({ ...req, id });
    });
  }

  async append(batch: SeriesSamples[]): Promise<AppendResult> {
    let n = 0;
    const wire = batch.map((s) => {
      n += s.timestamps.length;
      let id = this.idCache.get(s.labels);
      if (!id) {
        const k = seriesKey(s.labels);
        id = { key: k, fp: fingerprint(k) };
        this.idCache.set(s.labels, id);
      }
      const { key } = id;
      // values travel as bytes: structured clone of plain numbers may not keep the stale-NaN payload
      return { labels: s.labels, key, fp: id.fp, timestamps: Array.from(s.timestamps), values: s.values instanceof Float64Array ? s.values : Float64Array.from(s.values) };
    });
    return this.call<AppendResult>({ op: 'append', batch: wire, minTs: Date.now() - this.retention.rawMs }, n);
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

  /** series that have samples (or rollups) in the range: the dictionary alone keeps deleted ones. */
  private activeIn(entries: SeriesEntry[], startMs: number, endMs: number): SeriesEntry[] {
    const raw = this.reader.prepare('SELECT 1 FROM samples WHERE series_id = ? AND ts >= ? AND ts <= ? UNION ALL SELECT 1 FROM head WHERE series_id = ? AND ts >= ? AND ts <= ? LIMIT 1').pluck();
    const r1h = this.reader.prepare('SELECT 1 FROM rollup_1h WHERE series_id = ? AND bucket >= ? AND bucket <= ? LIMIT 1').pluck();
    const hStart = startMs - (startMs % 3_600_000);
    return entries.filter((e) => raw.get(e.id, startMs, endMs, e.id, startMs, endMs) !== undefined || r1h.get(e.id, hStart, endMs) !== undefined);
  }

  resolutionFor(startMs: number, endMs: number, hints?: SelectHints): Resolution {
    return chooseResolution(startMs, endMs, hints, this.retention, Date.now());
  }

  async select(matchers: Matcher[], startMs: number, endMs: number, hints?: SelectHints): Promise<SeriesData[]> {
    const entries = this.matching(matchers);
    const res = this.resolutionFor(startMs, endMs, hints);
    const out: SeriesData[] = [];
    if (res === 'raw') {
      const stmt = this.reader.prepare('SELECT ts, v, k FROM samples WHERE series_id = ? AND ts >= ? AND ts <= ? ORDER BY ts').raw(true);
      const headStmt = this.reader.prepare('SELECT ts, v, k FROM head WHERE series_id = ? AND ts >= ? AND ts <= ? ORDER BY ts').raw(true);
      // one read transaction: a compaction between the two reads cannot hide or double rows
      this.reader.transaction(() => {
        for (const e of entries) {
          const a = stmt.all(e.id, startMs, endMs) as [number, number | null, number][];
          const b = headStmt.all(e.id, startMs, endMs) as [number, number | null, number][];
          const n = a.length + b.length;
          if (!n) continue;
          const ts = new Float64Array(n);
          const vs = new Float64Array(n);
          let i = 0;
          let j = 0;
          for (let o = 0; o < n; o++) {
            const r = j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i++]! : b[j++]!;
            ts[o] = r[0];
            vs[o] = r[1] ?? (r[2] === KIND_STALE ? STALE_NAN : NaN);
          }
          out.push({ labels: e.labels, timestamps: ts, values: vs });
        }
      })();
    } else {
      const table = res === '1m' ? 'rollup_1m' : 'rollup_1h';
      const width = res === '1m' ? 60_000 : 3_600_000;
      const col = rollupValueColumn(hints?.func);
      const from = startMs - (startMs % width);
      type Row = [bucket: number, min: number, max: number, sum: number, cnt: number, last: number, lastTs: number];
      const stmt = this.reader.prepare(`SELECT bucket, min, max, sum, cnt, last, last_ts FROM ${table} WHERE series_id = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket`).raw(true);
      // samples not compacted yet are aggregated from the head on the fly, so rollup reads do not lag
      const headAgg = this.reader
        .prepare(
          `SELECT g.b, g.mn, g.mx, g.sm, g.c, h.v, g.lt FROM
             (SELECT ts - ts % ${width} AS b, min(v) AS mn, max(v) AS mx, sum(v) AS sm, count(*) AS c, max(ts) AS lt
              FROM head WHERE series_id = ? AND k = 0 AND ts >= ? AND ts <= ? GROUP BY ts - ts % ${width}) g
           JOIN head h ON h.series_id = ? AND h.ts = g.lt ORDER BY g.b`,
        )
        .raw(true);
      this.reader.transaction(() => {
        for (const e of entries) {
          const merged = new Map<number, Row>();
          for (const r of stmt.all(e.id, from, endMs) as Row[]) merged.set(r[0], r);
          for (const h of headAgg.all(e.id, from, endMs + width, e.id) as Row[]) {
            const r = merged.get(h[0]);
            if (!r) merged.set(h[0], h);
            else merged.set(h[0], [r[0], Math.min(r[1], h[1]), Math.max(r[2], h[2]), r[3] + h[3], r[4] + h[4], h[6] >= r[6] ? h[5] : r[5], Math.max(r[6], h[6])]);
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
    const c = (t: string) => this.reader.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    return { series: c('series'), rawSamples: c('samples') + c('head'), rollup1mRows: c('rollup_1m'), rollup1hRows: c('rollup_1h') };
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
