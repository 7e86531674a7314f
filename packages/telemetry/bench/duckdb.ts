// DuckDB as an embedded-store candidate, measured with the same batches and the same panel
// (select + rate) as the SQLite store: a series dictionary plus a samples table filled with the
// Appender, one commit per remote_write request.
// @duckdb/node-api is not a project dependency (70 MB for one measurement that chose the store);
// install it with `npm install --no-save @duckdb/node-api@1.5.6-r.1` to rerun this candidate.
type DuckDBConnection = any;
type DuckDBInstance = any;

export async function duckdbAvailable(): Promise<boolean> {
  try {
    const name = '@duckdb/node-api';
    await import(name);
    return true;
  } catch {
    return false;
  }
}
import type { Labels, Matcher, Queryable, SeriesData } from '@sreworks/promql';
import { compileMatchers, fingerprint, seriesKey } from '../src/metrics/labels.js';
import type { SeriesSamples } from '../src/index.js';

export class DuckDbCandidate implements Queryable {
  private readonly ids = new Map<string, number>();
  private readonly labels: Labels[] = [];
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(file: string): Promise<DuckDbCandidate> {
    const name = '@duckdb/node-api';
    const { DuckDBInstance } = await import(name);
    const instance = await DuckDBInstance.create(file);
    const conn = await instance.connect();
    await conn.run('CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, fingerprint VARCHAR, labels VARCHAR)');
    await conn.run('CREATE TABLE IF NOT EXISTS samples (series_id INTEGER, ts BIGINT, v DOUBLE)');
    return new DuckDbCandidate(instance, conn);
  }

  async append(batch: SeriesSamples[]): Promise<void> {
    const fresh: [number, string, Labels][] = [];
    for (const s of batch) {
      const fp = fingerprint(seriesKey(s.labels));
      if (!this.ids.has(fp)) {
        const id = this.labels.length + 1;
        this.ids.set(fp, id);
        this.labels.push(s.labels);
        fresh.push([id, fp, s.labels]);
      }
    }
    if (fresh.length) {
      const a = await this.conn.createAppender('series');
      for (const [id, fp, l] of fresh) {
        a.appendInteger(id);
        a.appendVarchar(fp);
        a.appendVarchar(JSON.stringify(l));
        a.endRow();
      }
      a.closeSync();
    }
    const a = await this.conn.createAppender('samples');
    for (const s of batch) {
      const id = this.ids.get(fingerprint(seriesKey(s.labels)))!;
      for (let i = 0; i < s.timestamps.length; i++) {
        a.appendInteger(id);
        a.appendBigInt(BigInt(s.timestamps[i]!));
        a.appendDouble(s.values[i]!);
        a.endRow();
      }
    }
    a.closeSync(); // flushes and commits this request's rows
  }

  async select(matchers: Matcher[], startMs: number, endMs: number): Promise<SeriesData[]> {
    const test = compileMatchers(matchers);
    const ids: number[] = [];
    this.labels.forEach((l, i) => {
      if (test(l)) ids.push(i + 1);
    });
    if (!ids.length) return [];
    const reader = await this.conn.runAndReadAll(`SELECT series_id, ts, v FROM samples WHERE series_id IN (${ids.join(',')}) AND ts BETWEEN ${startMs} AND ${endMs} ORDER BY series_id, ts`);
    const cols = reader.getColumns() as [number[], bigint[], number[]];
    const out: SeriesData[] = [];
    let i = 0;
    const n = cols[0].length;
    while (i < n) {
      const sid = cols[0][i]!;
      const ts: number[] = [];
      const vs: number[] = [];
      while (i < n && cols[0][i] === sid) {
        ts.push(Number(cols[1][i]));
        vs.push(cols[2][i]!);
        i++;
      }
      out.push({ labels: this.labels[sid - 1]!, timestamps: ts, values: vs });
    }
    return out;
  }

  async exec(sql: string): Promise<void> {
    await this.conn.run(sql);
  }
  async scalar(sql: string): Promise<number> {
    const r = await this.conn.runAndReadAll(sql);
    return Number(r.getRows()[0]![0]);
  }

  async labelNames(): Promise<string[]> {
    return [];
  }
  async labelValues(): Promise<string[]> {
    return [];
  }
  async series(): Promise<Labels[]> {
    return [];
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
