import type { ClickHouseClient } from '@clickhouse/client';
import { newId } from '@sreworks/kernel';
import { createHash } from 'node:crypto';
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
  LogRow,
  LogSelectQuery,
  LogStore,
  LogStreamInput,
  RetentionPolicy,
  RetentionResult,
  StoredEvent,
  StreamInfo,
  TimeRange,
} from '../types.js';

export interface ClickHouseLogStoreOptions {
  /** A `@clickhouse/client` client: HTTP to a server, or `createChdbConnection` in-process. */
  client: ClickHouseClient;
  database?: string;
  /** Logs table, default `otel_logs` (the OpenTelemetry ClickHouse exporter's name). */
  table?: string;
  eventsTable?: string;
  /** Create the tables when missing (default true). */
  createTables?: boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Logs and events on ClickHouse. The logs table is the OpenTelemetry ClickHouse exporter's
 * `otel_logs`: stream labels go to ResourceAttributes, structured metadata to LogAttributes,
 * so the collector's exporter and this store can share one table. Inserts are synchronous
 * (no async_insert), so a resolved `append` means the part is written.
 */
export class ClickHouseLogStore implements LogStore {
  readonly kind = 'clickhouse' as const;
  private readonly client: ClickHouseClient;
  private readonly logs: string;
  private readonly events: string;
  private ready: Promise<void> | undefined;
  private readonly create: boolean;
  private queue: { rows: unknown[][]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private inserting = false;

  constructor(opts: ClickHouseLogStoreOptions) {
    for (const n of [opts.database, opts.table, opts.eventsTable]) if (n !== undefined && !IDENT.test(n)) throw new Error(`invalid ClickHouse identifier ${n}`);
    this.client = opts.client;
    const db = opts.database ? `${opts.database}.` : '';
    this.logs = `${db}${opts.table ?? 'otel_logs'}`;
    this.events = `${db}${opts.eventsTable ?? 'sreworks_events'}`;
    this.create = opts.createTables ?? true;
  }

  /** Create the tables (idempotent); called lazily by every operation. */
  init(): Promise<void> {
    if (!this.ready) {
      // A failed attempt (server down at start) is retried by the next call, not cached.
      this.ready = (this.create ? this.createTables() : Promise.resolve()).catch((e: unknown) => {
        this.ready = undefined;
        throw e;
      });
    }
    return this.ready;
  }

  private async createTables(): Promise<void> {
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${this.logs} (
        Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
        TimestampTime DateTime DEFAULT toDateTime(Timestamp),
        TraceId String CODEC(ZSTD(1)),
        SpanId String CODEC(ZSTD(1)),
        TraceFlags UInt8,
        SeverityText LowCardinality(String) CODEC(ZSTD(1)),
        SeverityNumber UInt8,
        ServiceName LowCardinality(String) CODEC(ZSTD(1)),
        Body String CODEC(ZSTD(1)),
        ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
        ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
        ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
        ScopeName String CODEC(ZSTD(1)),
        ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
        ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
        LogAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
        INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
        INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
        INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
        INDEX idx_log_attr_key mapKeys(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
        INDEX idx_log_attr_value mapValues(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
        INDEX idx_body Body TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
      ) ENGINE = MergeTree
      PARTITION BY toDate(TimestampTime)
      ORDER BY (ServiceName, TimestampTime, Timestamp)
      SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`,
    });
    // Events are updated in place by fingerprint: ReplacingMergeTree on Id, read with FINAL.
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${this.events} (
        Id String,
        Timestamp DateTime64(3),
        Labels Map(LowCardinality(String), String),
        Type LowCardinality(String),
        Reason LowCardinality(String),
        Message String CODEC(ZSTD(1)),
        Count UInt32,
        Fingerprint String,
        Attributes String CODEC(ZSTD(1)),
        Version UInt64
      ) ENGINE = ReplacingMergeTree(Version)
      ORDER BY Id`,
    });
  }

  async append(streams: LogStreamInput[]): Promise<{ accepted: number }> {
    await this.init();
    const rows: unknown[][] = [];
    for (const s of streams) {
      // Map columns keep insertion order: sort keys so one label set is one stream.
      const labels: Labels = JSON.parse(labelsKey(s.labels)) as Labels;
      const service = labels.service_name ?? labels.service ?? labels.app ?? labels.job ?? '';
      for (const e of s.entries) {
        const m = e.metadata ?? {};
        rows.push([
          e.ts.toString(),
          m.trace_id ?? '',
          m.span_id ?? '',
          m.severity_text ?? m.detected_level ?? labels.level ?? '',
          Number(m.severity_number ?? 0) || 0,
          service,
          e.line,
          labels,
          m.scope_name ?? '',
          m.scope_version ?? '',
          m,
        ]);
      }
    }
    if (rows.length === 0) return { accepted: 0 };
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.inserting) void this.drain();
    });
    return { accepted: rows.length };
  }

  /**
   * Natural batching: while one INSERT runs, later appends queue up and go together in the next
   * one. ClickHouse pays per insert (a part per partition), so fewer, larger inserts win, and
   * no append waits on a timer.
   */
  private async drain(): Promise<void> {
    this.inserting = true;
    try {
      while (this.queue.length > 0) {
        const batch: typeof this.queue = [];
        let n = 0;
        while (this.queue.length > 0 && n < 200_000) {
          const p = this.queue.shift()!;
          batch.push(p);
          n += p.rows.length;
        }
        try {
          await this.client.insert({
            table: this.logs,
            values: batch.length === 1 ? batch[0]!.rows : batch.flatMap((p) => p.rows),
            format: 'JSONCompactEachRow',
            columns: ['Timestamp', 'TraceId', 'SpanId', 'SeverityText', 'SeverityNumber', 'ServiceName', 'Body', 'ResourceAttributes', 'ScopeName', 'ScopeVersion', 'LogAttributes'],
            clickhouse_settings: { async_insert: 0 },
          });
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.inserting = false;
    }
  }

  private matcherSql(matchers: readonly LabelMatcher[], params: Record<string, unknown>): string[] {
    return matchers.map((m, i) => {
      params[`mn${i}`] = m.name;
      params[`mv${i}`] = m.op === '=~' || m.op === '!~' ? `^(?:${m.value})$` : m.value;
      const col = `ResourceAttributes[{mn${i}:String}]`;
      switch (m.op) {
        case '=':
          return `${col} = {mv${i}:String}`;
        case '!=':
          return `${col} != {mv${i}:String}`;
        case '=~':
          return `match(${col}, {mv${i}:String})`;
        case '!~':
          return `NOT match(${col}, {mv${i}:String})`;
      }
    });
  }

  private timeSql(range: TimeRange, params: Record<string, unknown>): string[] {
    params.fromNs = range.from.toString();
    params.toNs = range.to.toString();
    params.fromS = (range.from / 1_000_000_000n).toString();
    params.toS = (range.to / 1_000_000_000n + 1n).toString();
    return [
      'TimestampTime >= toDateTime({fromS:Int64})',
      'TimestampTime <= toDateTime({toS:Int64})',
      'Timestamp >= fromUnixTimestamp64Nano({fromNs:Int64})',
      'Timestamp < fromUnixTimestamp64Nano({toNs:Int64})',
    ];
  }

  private async json<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const rs = await this.client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 1 } });
    return rs.json<T>();
  }

  async *select(q: LogSelectQuery): AsyncIterable<LogBatch> {
    await this.init();
    const params: Record<string, unknown> = {};
    const where = [...this.timeSql({ from: q.from, to: q.to }, params), ...this.matcherSql(q.matchers, params)];
    const streamRows = await this.json<{ sid: string; labels: Labels; svc: string }>(
      `SELECT toString(cityHash64(ResourceAttributes)) AS sid, ResourceAttributes AS labels, ServiceName AS svc FROM ${this.logs} WHERE ${where.join(' AND ')} GROUP BY ResourceAttributes, ServiceName`,
      params,
    );
    if (streamRows.length === 0) return;
    const streams = new Map<string, Labels>(streamRows.map((r) => [r.sid, r.labels]));
    // ServiceName leads the sort key: naming the services found lets the row scan skip granules.
    params.svcs = [...new Set(streamRows.map((r) => r.svc))];
    where.push('ServiceName IN {svcs:Array(String)}');
    (q.filters ?? []).forEach((f, i) => {
      params[`lf${i}`] = f.value;
      if (f.op === '|=') where.push(`position(Body, {lf${i}:String}) > 0`);
      else if (f.op === '!=') where.push(`position(Body, {lf${i}:String}) = 0`);
    });
    const batch = q.batchSize ?? 5000;
    const cols = `toString(cityHash64(ResourceAttributes)) AS sid, toString(toUnixTimestamp64Nano(Timestamp)) AS ts, ${q.withoutLine ? `'' AS line, length(Body) AS bytes` : 'Body AS line'}, LogAttributes AS meta`;
    type Row = { sid: string; ts: string; line: string; bytes?: string | number; meta: Labels };
    const toRow = (r: Row): LogRow => ({
      streamId: r.sid,
      ts: BigInt(r.ts),
      line: r.line,
      bytes: r.bytes !== undefined ? Number(r.bytes) : Buffer.byteLength(r.line),
      ...(Object.keys(r.meta).length > 0 ? { metadata: r.meta } : {}),
    });
    if (q.withoutLine) {
      // Metric queries read every row once, unsorted; the engine buckets them itself.
      const rs = await this.client.query({ query: `SELECT ${cols} FROM ${this.logs} WHERE ${where.join(' AND ')}`, query_params: params, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 1 } });
      let rows: LogRow[] = [];
      for await (const chunk of rs.stream<Row>()) {
        for (const r of chunk) {
          rows.push(toRow(r.json()));
          if (rows.length >= batch) {
            yield { streams, rows };
            rows = [];
          }
        }
      }
      if (rows.length > 0) yield { streams, rows };
      return;
    }
    const dir = q.direction === 'backward' ? 'DESC' : 'ASC';
    for (let offset = 0; ; offset += batch) {
      const page = await this.json<Row>(`SELECT ${cols} FROM ${this.logs} WHERE ${where.join(' AND ')} ORDER BY Timestamp ${dir}, Body ${dir} LIMIT ${batch} OFFSET ${offset}`, params);
      if (page.length > 0) yield { streams, rows: page.map(toRow) };
      if (page.length < batch) return;
    }
  }

  async countBuckets(q: LogCountQuery): Promise<{ streams: Map<string, Labels>; rows: LogCountRow[] }> {
    await this.init();
    const params: Record<string, unknown> = { bfrom: q.from.toString(), bw: q.width.toString() };
    const where = [...this.timeSql({ from: q.from, to: q.to }, params), ...this.matcherSql(q.matchers, params)];
    (q.filters ?? []).forEach((f, i) => {
      params[`lf${i}`] = f.value;
      if (f.op === '|=') where.push(`position(Body, {lf${i}:String}) > 0`);
      else if (f.op === '!=') where.push(`position(Body, {lf${i}:String}) = 0`);
      else throw new Error(`countBuckets cannot apply ${f.op}`);
    });
    type Row = { sid: string; labels: Labels; meta: Labels; b: string; c: string; n: string };
    const rows = await this.json<Row>(
      `SELECT toString(cityHash64(ResourceAttributes)) AS sid, any(ResourceAttributes) AS labels, LogAttributes AS meta,
         intDiv(toUnixTimestamp64Nano(Timestamp) - {bfrom:Int64}, {bw:Int64}) AS b, count() AS c, ${q.withBytes ? 'sum(length(Body))' : '0'} AS n
       FROM ${this.logs} WHERE ${where.join(' AND ')} GROUP BY sid, meta, b`,
      params,
    );
    const streams = new Map<string, Labels>();
    const out: LogCountRow[] = rows.map((r) => {
      streams.set(r.sid, r.labels);
      return { streamId: r.sid, bucket: Number(r.b), count: Number(r.c), bytes: Number(r.n), ...(Object.keys(r.meta).length > 0 ? { metadata: r.meta } : {}) };
    });
    return { streams, rows: out };
  }

  async streams(matchers: LabelMatcher[], range: TimeRange): Promise<StreamInfo[]> {
    await this.init();
    const params: Record<string, unknown> = {};
    const where = [...this.timeSql(range, params), ...this.matcherSql(matchers, params)];
    const rows = await this.json<{ sid: string; labels: Labels }>(
      `SELECT toString(cityHash64(ResourceAttributes)) AS sid, ResourceAttributes AS labels FROM ${this.logs} WHERE ${where.join(' AND ')} GROUP BY ResourceAttributes`,
      params,
    );
    return rows.map((r) => ({ id: r.sid, labels: r.labels }));
  }

  async labelNames(range: TimeRange, matchers: LabelMatcher[] = []): Promise<string[]> {
    await this.init();
    const params: Record<string, unknown> = {};
    const where = [...this.timeSql(range, params), ...this.matcherSql(matchers, params)];
    const rows = await this.json<{ n: string }>(`SELECT DISTINCT arrayJoin(mapKeys(ResourceAttributes)) AS n FROM ${this.logs} WHERE ${where.join(' AND ')} ORDER BY n`, params);
    return rows.map((r) => r.n);
  }

  async labelValues(name: string, range: TimeRange, matchers: LabelMatcher[] = []): Promise<string[]> {
    await this.init();
    const params: Record<string, unknown> = { ln: name };
    const where = [...this.timeSql(range, params), ...this.matcherSql(matchers, params), 'mapContains(ResourceAttributes, {ln:String})'];
    const rows = await this.json<{ v: string }>(`SELECT DISTINCT ResourceAttributes[{ln:String}] AS v FROM ${this.logs} WHERE ${where.join(' AND ')} ORDER BY v`, params);
    return rows.map((r) => r.v);
  }

  async appendEvents(events: EventInput[]): Promise<{ accepted: number }> {
    await this.init();
    const version = BigInt(Date.now()) * 1000n;
    const rows = events.map((e, i) => {
      const fp = eventFingerprintOrNull(e);
      return {
        // A fingerprinted event keeps one id, so ReplacingMergeTree collapses its updates.
        Id: fp ? `fp_${createHash('sha256').update(fp).digest('hex').slice(0, 26)}` : newId(e.time),
        Timestamp: new Date(e.time).toISOString(),
        Labels: e.labels,
        Type: e.type ?? '',
        Reason: e.reason ?? '',
        Message: e.message,
        Count: e.count ?? 1,
        Fingerprint: fp ?? '',
        Attributes: JSON.stringify(e.attributes ?? {}),
        Version: (version + BigInt(i)).toString(),
      };
    });
    await this.client.insert({ table: this.events, values: rows, format: 'JSONEachRow', clickhouse_settings: { async_insert: 0, date_time_input_format: 'best_effort' } });
    return { accepted: events.length };
  }

  async searchEvents(q: EventQuery): Promise<EventPage> {
    await this.init();
    const params: Record<string, unknown> = { from: q.from, to: q.to };
    const where = ['Timestamp >= fromUnixTimestamp64Milli({from:Int64})', 'Timestamp < fromUnixTimestamp64Milli({to:Int64})'];
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      params.cts = c.ts;
      params.cid = c.id;
      where.push('(Timestamp < fromUnixTimestamp64Milli({cts:Int64}) OR (Timestamp = fromUnixTimestamp64Milli({cts:Int64}) AND Id < {cid:String}))');
    }
    (q.matchers ?? []).forEach((m, i) => {
      if (m.op !== '=') return;
      params[`en${i}`] = m.name;
      params[`ev${i}`] = m.value;
      where.push(`Labels[{en${i}:String}] = {ev${i}:String}`);
    });
    textTerms(q.text).forEach((t, i) => {
      params[`t${i}`] = t;
      where.push(`(positionCaseInsensitiveUTF8(Message, {t${i}:String}) > 0 OR positionCaseInsensitiveUTF8(Reason, {t${i}:String}) > 0)`);
    });
    const others = (q.matchers ?? []).filter((m) => m.op !== '=');
    type Row = { Id: string; ts: string; Labels: Labels; Type: string; Reason: string; Message: string; Count: number; Fingerprint: string; Attributes: string };
    const items: StoredEvent[] = [];
    // Over-fetch when some matchers run here rather than in SQL.
    const fetch = others.length > 0 ? q.limit * 5 + 1 : q.limit + 1;
    for (let offset = 0; ; offset += fetch) {
      const rows = await this.json<Row>(
        `SELECT Id, toString(toUnixTimestamp64Milli(Timestamp)) AS ts, Labels, Type, Reason, Message, Count, Fingerprint, Attributes FROM ${this.events} FINAL WHERE ${where.join(' AND ')} ORDER BY Timestamp DESC, Id DESC LIMIT ${fetch} OFFSET ${offset}`,
        params,
      );
      for (const r of rows) {
        const ev: StoredEvent = {
          id: r.Id,
          time: Number(r.ts),
          labels: r.Labels,
          type: r.Type,
          reason: r.Reason,
          message: r.Message,
          count: Number(r.Count),
          fingerprint: r.Fingerprint || null,
          attributes: JSON.parse(r.Attributes) as Record<string, unknown>,
        };
        if (others.length > 0 && !matchesAll(others, ev.labels)) continue;
        if (items.length === q.limit) {
          const last = items[items.length - 1]!;
          return { items, nextCursor: encodeCursor(last.time, last.id) };
        }
        items.push(ev);
      }
      if (rows.length < fetch) return { items, nextCursor: null };
    }
  }

  async retain(policy: RetentionPolicy): Promise<RetentionResult> {
    await this.init();
    let logsDeleted = 0;
    let eventsDeleted = 0;
    if (policy.logsBefore !== undefined) {
      const params = { b: policy.logsBefore.toString() };
      const [c] = await this.json<{ c: string }>(`SELECT count() AS c FROM ${this.logs} WHERE Timestamp < fromUnixTimestamp64Nano({b:Int64})`, params);
      logsDeleted = Number(c?.c ?? 0);
      if (logsDeleted > 0) {
        // Whole days go as partitions (cheap); the rest by a lightweight delete.
        const parts = await this.json<{ p: string }>(`SELECT DISTINCT toString(toDate(TimestampTime)) AS p FROM ${this.logs} WHERE toDate(TimestampTime) < toDate(fromUnixTimestamp64Nano({b:Int64}))`, params);
        for (const p of parts) {
          // ALTER … PARTITION takes no query parameters; the value is a validated date literal.
          if (/^\d{4}-\d{2}-\d{2}$/.test(p.p)) await this.client.command({ query: `ALTER TABLE ${this.logs} DROP PARTITION '${p.p}'` });
        }
        await this.client.command({ query: `DELETE FROM ${this.logs} WHERE Timestamp < fromUnixTimestamp64Nano({b:Int64})`, query_params: params });
      }
    }
    if (policy.eventsBefore !== undefined) {
      const params = { b: policy.eventsBefore };
      const [c] = await this.json<{ c: string }>(`SELECT count() AS c FROM ${this.events} FINAL WHERE Timestamp < fromUnixTimestamp64Milli({b:Int64})`, params);
      eventsDeleted = Number(c?.c ?? 0);
      if (eventsDeleted > 0) await this.client.command({ query: `DELETE FROM ${this.events} WHERE Timestamp < fromUnixTimestamp64Milli({b:Int64})`, query_params: params });
    }
    return { logsDeleted, eventsDeleted };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
