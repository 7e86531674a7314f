// The scale-out metrics store on ClickHouse through @clickhouse/client. Series selection is
// pushed down (label Map, RE2 `match` has Prometheus' regex semantics); samples are inserted
// as TabSeparated (compact, and the text form keeps ±Inf). An insert resolves after ClickHouse
// has written the part, so acknowledging after append() is durable to the server's fsync policy.
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { isStaleNaN, STALE_NAN, type Labels, type Matcher, type SelectHints, type SeriesData } from '@sreworks/promql';
import { fingerprint, seriesKey } from '../labels.js';
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
import { schemaStatements } from './schema.js';

export interface ClickHouseMetricsStoreOptions {
  client: ClickHouseClient;
  /** database holding the metrics tables (created when missing). */
  database?: string;
  retention?: Partial<RetentionPolicy>;
}

const DAY = 86_400_000;
const FLAG_NAN = 1;
const FLAG_STALE = 2;

function tsvEscape(s: string): string {
  return s.replace(/[\\\t\n]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\n'));
}
function formatFloat(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}
function parseFloatCH(s: string): number {
  if (s === 'inf' || s === '+inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan' || s === '-nan') return NaN;
  return Number(s);
}

export class ClickHouseMetricsStore implements MetricsStore {
  readonly kind = 'clickhouse' as const;
  readonly retention: RetentionPolicy;
  private readonly client: ClickHouseClient;
  readonly db: string;
  /** fingerprint+day pairs already written to metrics_time_series by this process. */
  private readonly knownSeriesDays = new Set<string>();

  private constructor(opts: ClickHouseMetricsStoreOptions) {
    this.client = opts.client;
    this.db = opts.database ?? 'sreworks';
    this.retention = { ...DEFAULT_RETENTION, ...opts.retention };
  }

  static async open(opts: ClickHouseMetricsStoreOptions): Promise<ClickHouseMetricsStore> {
    const s = new ClickHouseMetricsStore(opts);
    const days = {
      raw: Math.ceil(s.retention.rawMs / DAY),
      rollup1m: Math.ceil(s.retention.rollup1mMs / DAY),
      rollup1h: Math.ceil(s.retention.rollup1hMs / DAY),
    };
    for (const stmt of schemaStatements(s.db, days)) await s.client.command({ query: stmt });
    return s;
  }

  private t(name: string): string {
    return `\`${this.db}\`.\`${name}\``;
  }

  private queue: { batch: SeriesSamples[]; resolve(r: AppendResult): void; reject(e: unknown): void }[] = [];
  private flushing = false;

  /**
   * Concurrent appends are coalesced: while one INSERT runs, the next requests queue up and go
   * in one INSERT after it (ClickHouse prefers few large inserts); each caller resolves once
   * the INSERT holding its rows has returned.
   */
  append(batch: SeriesSamples[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const group = this.queue;
        this.queue = [];
        try {
          const results = await this.insertGroup(group.map((g) => g.batch));
          group.forEach((g, i) => g.resolve(results[i]!));
        } catch (e) {
          for (const g of group) g.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async insertGroup(batches: SeriesSamples[][]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    const minTs = Date.now() - this.retention.rawMs;
    let tsv = '';
    const newSeries: {
      metric_name: string;
      fingerprint: string;
      unix_milli: number;
      labels: Labels;
      labels_json: string;
    }[] = [];
    for (const batch of batches) {
      const res: AppendResult = { accepted: 0, duplicates: 0, conflicts: 0, tooOld: 0, newSeries: 0 };
      results.push(res);
      for (const s of batch) {
        const fp = BigInt('0x' + fingerprint(seriesKey(s.labels))).toString();
        const name = s.labels.__name__!;
        const nameEsc = tsvEscape(name);
        for (let i = 0; i < s.timestamps.length; i++) {
          const ts = s.timestamps[i]!;
          if (ts < minTs) {
            res.tooOld++;
            continue;
          }
          const day = ts - (ts % DAY);
          const k = `${fp}:${day}`;
          if (!this.knownSeriesDays.has(k)) {
            this.knownSeriesDays.add(k);
            newSeries.push({
              metric_name: name,
              fingerprint: fp,
              unix_milli: day,
              labels: s.labels,
              labels_json: JSON.stringify(s.labels),
            });
          }
          const v = s.values[i]!;
          const flags = Number.isNaN(v) ? (isStaleNaN(v) ? FLAG_STALE : FLAG_NAN) : 0;
          tsv += `${nameEsc}\t${fp}\t${ts}\t${flags ? 0 : formatFloat(v)}\t${flags}\n`;
          res.accepted++;
        }
      }
    }
    try {
      if (newSeries.length) {
        await this.client.insert({ table: this.t('metrics_time_series'), values: newSeries, format: 'JSONEachRow' });
        results[0]!.newSeries = newSeries.length;
      }
      if (tsv) {
        await this.client.insert({
          table: this.t('metrics_samples'),
          values: Readable.from([Buffer.from(tsv, 'utf8')], { objectMode: false }),
          format: 'TabSeparated',
          columns: ['metric_name', 'fingerprint', 'unix_milli', 'value', 'flags'],
        });
      }
    } catch (e) {
      for (const s of newSeries) this.knownSeriesDays.delete(`${s.fingerprint}:${s.unix_milli}`);
      throw e;
    }
    return results;
  }

  async appendMetadata(meta: MetricMetadata[]): Promise<void> {
    if (!meta.length) return;
    const now = Date.now();
    await this.client.insert({
      table: this.t('metrics_metadata'),
      values: meta.map((m) => ({ metric_name: m.metric, type: m.type, help: m.help, unit: m.unit, updated_ms: now })),
      format: 'JSONEachRow',
    });
  }

  async metadata(metric?: string, limit?: number): Promise<MetricMetadata[]> {
    const rs = await this.client.query({
      query: `SELECT metric_name AS metric, argMax(type, updated_ms) AS type, argMax(help, updated_ms) AS help, argMax(unit, updated_ms) AS unit
              FROM ${this.t('metrics_metadata')} ${metric ? 'WHERE metric_name = {metric:String}' : ''}
              GROUP BY metric_name ORDER BY metric_name ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`,
      query_params: { metric },
      format: 'JSONEachRow',
    });
    return (await rs.json()) as { metric: string; type: MetricType; help: string; unit: string }[];
  }

  /** WHERE clause over metrics_time_series for the matchers; parameters go to query_params. */
  private seriesWhere(matchers: Matcher[], startMs: number, endMs: number, params: Record<string, unknown>): string {
    const conds = ['unix_milli >= {ws:Int64}', 'unix_milli <= {we:Int64}'];
    params.ws = startMs - (startMs % DAY);
    params.we = endMs;
    matchers.forEach((m, i) => {
      const col = m.name === '__name__' ? 'metric_name' : `labels[{ln${i}:String}]`;
      if (m.name !== '__name__') params[`ln${i}`] = m.name;
      params[`lv${i}`] = m.type === '=~' || m.type === '!~' ? `^(?:${m.value})$` : m.value;
      const op = {
        '=': `${col} = {lv${i}:String}`,
        '!=': `${col} != {lv${i}:String}`,
        '=~': `match(${col}, {lv${i}:String})`,
        '!~': `NOT match(${col}, {lv${i}:String})`,
      }[m.type];
      conds.push(op);
    });
    return conds.join(' AND ');
  }

  private async matchingSeries(matchers: Matcher[], startMs: number, endMs: number): Promise<Map<string, Labels>> {
    const params: Record<string, unknown> = {};
    const rs = await this.client.query({
      query: `SELECT toString(fingerprint) AS fp, any(labels_json) AS l FROM ${this.t('metrics_time_series')} WHERE ${this.seriesWhere(matchers, startMs, endMs, params)} GROUP BY fingerprint`,
      query_params: params,
      format: 'JSONCompactEachRow',
    });
    const rows = (await rs.json()) as [string, string][];
    return new Map(rows.map(([fp, l]) => [fp, JSON.parse(l) as Labels]));
  }

  resolutionFor(startMs: number, endMs: number, hints?: SelectHints): Resolution {
    return chooseResolution(startMs, endMs, hints, this.retention, Date.now());
  }

  async select(matchers: Matcher[], startMs: number, endMs: number, hints?: SelectHints): Promise<SeriesData[]> {
    const series = await this.matchingSeries(matchers, startMs, endMs);
    if (!series.size) return [];
    const names = [...new Set([...series.values()].map((l) => l.__name__!))];
    const fps = [...series.keys()];
    const res = this.resolutionFor(startMs, endMs, hints);
    const params = { names, fps: fps.map((f) => BigInt(f)), s: startMs, e: endMs };
    let query: string;
    if (res === 'raw') {
      query = `SELECT fingerprint, unix_milli, value, flags FROM ${this.t('metrics_samples')}
        WHERE metric_name IN {names:Array(String)} AND fingerprint IN {fps:Array(UInt64)} AND unix_milli >= {s:Int64} AND unix_milli <= {e:Int64}
        ORDER BY fingerprint, unix_milli`;
    } else {
      const table = res === '1m' ? 'metrics_samples_1m' : 'metrics_samples_1h';
      const width = res === '1m' ? 60_000 : 3_600_000;
      const col = rollupValueColumn(hints?.func);
      const expr =
        col === 'last'
          ? 'argMaxMerge(last)'
          : col === 'min'
            ? 'min(min)'
            : col === 'max'
              ? 'max(max)'
              : 'sum(sum) / sum(cnt)';
      query = `SELECT fingerprint, max(last_ts) AS ts, ${expr} AS v, 0 FROM ${this.t(table)}
        WHERE metric_name IN {names:Array(String)} AND fingerprint IN {fps:Array(UInt64)} AND bucket >= ${startMs - (startMs % width)} AND bucket <= {e:Int64}
        GROUP BY fingerprint, bucket HAVING ts >= {s:Int64} AND ts <= {e:Int64} ORDER BY fingerprint, bucket`;
    }
    const rs = await this.client.query({ query, query_params: params, format: 'TabSeparated' });
    const text = await rs.text();
    const out: SeriesData[] = [];
    let curFp = '';
    let ts: number[] = [];
    let vs = new Float64Array(1024);
    const flush = () => {
      if (curFp && ts.length) out.push({ labels: series.get(curFp)!, timestamps: ts, values: vs.slice(0, ts.length) });
    };
    let pos = 0;
    while (pos < text.length) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      const line = text.slice(pos, nl);
      pos = nl + 1;
      if (!line) continue;
      const [fp, t, v, f] = line.split('\t') as [string, string, string, string];
      if (fp !== curFp) {
        flush();
        curFp = fp;
        ts = [];
        vs = new Float64Array(1024);
      }
      const tn = Number(t);
      // MergeTree keeps a re-sent sample twice until a merge: collapse equal timestamps
      if (ts.length && ts[ts.length - 1] === tn) ts.pop();
      if (ts.length === vs.length) {
        const nv = new Float64Array(vs.length * 2);
        nv.set(vs);
        vs = nv;
      }
      vs[ts.length] = f === '2' ? STALE_NAN : f === '1' ? NaN : parseFloatCH(v);
      ts.push(tn);
    }
    flush();
    return out;
  }

  async series(matchers: Matcher[], startMs: number, endMs: number): Promise<Labels[]> {
    return [...(await this.matchingSeries(matchers, startMs, endMs)).values()];
  }

  async labelNames(matchers: Matcher[], startMs: number, endMs: number): Promise<string[]> {
    const params: Record<string, unknown> = {};
    const rs = await this.client.query({
      query: `SELECT DISTINCT arrayJoin(mapKeys(labels)) AS n FROM ${this.t('metrics_time_series')} WHERE ${this.seriesWhere(matchers, startMs, endMs, params)} ORDER BY n`,
      query_params: params,
      format: 'JSONCompactEachRow',
    });
    return ((await rs.json()) as [string][]).map((r) => r[0]);
  }

  async labelValues(name: string, matchers: Matcher[], startMs: number, endMs: number): Promise<string[]> {
    const params: Record<string, unknown> = { lname: name };
    const rs = await this.client.query({
      query: `SELECT DISTINCT labels[{lname:String}] AS v FROM ${this.t('metrics_time_series')} WHERE ${this.seriesWhere(matchers, startMs, endMs, params)} AND mapContains(labels, {lname:String}) ORDER BY v`,
      query_params: params,
      format: 'JSONCompactEachRow',
    });
    return ((await rs.json()) as [string][]).map((r) => r[0]);
  }

  async applyRetention(nowMs = Date.now()): Promise<number> {
    // whole partitions past the policy are dropped (TTL does the same during merges)
    const plan: [string, number][] = [
      ['metrics_samples', nowMs - this.retention.rawMs],
      ['metrics_samples_1m', nowMs - this.retention.rollup1mMs],
      ['metrics_samples_1h', nowMs - this.retention.rollup1hMs],
    ];
    let removed = 0;
    for (const [table, cutoff] of plan) {
      const rs = await this.client.query({
        query: `SELECT partition_id, sum(rows) AS r FROM system.parts WHERE database = {db:String} AND table = {t:String} AND active GROUP BY partition_id`,
        query_params: { db: this.db, t: table },
        format: 'JSONEachRow',
      });
      for (const p of (await rs.json()) as { partition_id: string; r: string }[]) {
        // partition ids are YYYYMMDD (raw, daily) or YYYYMM (rollups, monthly): drop when the
        // whole partition ends before the cutoff
        const id = p.partition_id;
        if (!/^\d{6}(\d{2})?$/.test(id)) continue;
        const y = Number(id.slice(0, 4));
        const mo = Number(id.slice(4, 6)) - 1;
        const end = id.length === 8 ? Date.UTC(y, mo, Number(id.slice(6, 8)) + 1) : Date.UTC(y, mo + 1, 1);
        if (end > cutoff) continue;
        await this.client.command({ query: `ALTER TABLE ${this.t(table)} DROP PARTITION ID '${id}'` });
        removed += Number(p.r);
      }
    }
    return removed;
  }

  async stats(): Promise<StoreStats> {
    const rs = await this.client.query({
      query: `SELECT
        (SELECT uniqExact(fingerprint) FROM ${this.t('metrics_time_series')}) AS series,
        (SELECT count() FROM ${this.t('metrics_samples')}) AS raw,
        (SELECT count() FROM (SELECT 1 FROM ${this.t('metrics_samples_1m')} GROUP BY fingerprint, bucket)) AS m1,
        (SELECT count() FROM (SELECT 1 FROM ${this.t('metrics_samples_1h')} GROUP BY fingerprint, bucket)) AS h1`,
      format: 'JSONEachRow',
    });
    const [r] = (await rs.json()) as { series: string; raw: string; m1: string; h1: string }[];
    return {
      series: Number(r!.series),
      rawSamples: Number(r!.raw),
      rollup1mRows: Number(r!.m1),
      rollup1hRows: Number(r!.h1),
    };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
