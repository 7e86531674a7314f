// Log pattern streams: a persistent template miner per named stream (e.g. one per app or
// service). Ingesting lines updates per-template counts over time and reports templates never
// seen before ("new pattern" events), which callers can forward to alerting.
import { InputError, NotFoundError } from '@sreworks/kernel';
import { columnTypes, fromJson, nowIso, sql, toJson, type Migration, type Store } from '@sreworks/store';
import { LogTemplateMiner, type LogTemplate, type LogTemplateState } from '../algorithms/log-templates.js';

export const logStreamMigrations: Migration[] = [
  {
    name: '20261126_02_aiops_log_stream',
    async up(db, d) {
      const t = columnTypes(d);
      await db.schema
        .createTable('aiops_log_stream')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('state', sql.raw(t.json), (c) => c.notNull())
        .addColumn('lines', sql.raw('bigint'), (c) => c.notNull())
        .addColumn('templates', sql.raw('integer'), (c) => c.notNull())
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .execute();
    },
    async down(db) {
      await db.schema.dropTable('aiops_log_stream').execute();
    },
  },
];

export interface NewPattern {
  stream: string;
  template: LogTemplate;
  line: string;
}

export interface IngestResult {
  accepted: number;
  /** final template id per ingested line */
  lineTemplates: number[];
  newPatterns: { id: number; template: string; line: string }[];
}

/** Miner settings for streams: 5-minute buckets, one day kept per template. */
const STREAM_OPTIONS = { bucketMs: 300_000, maxBuckets: 288 };

export class LogStreamService {
  private readonly cache = new Map<string, LogTemplateMiner>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly onNewPattern?: (e: NewPattern) => void,
    private readonly maxCached = 64,
  ) {}

  /** Adds lines to a stream (created on first use); times are epoch ms, default now. */
  ingest(stream: string, lines: readonly string[], times?: readonly number[]): Promise<IngestResult> {
    if (times && times.length !== lines.length) throw new InputError('times must have one entry per line', { field: 'body.times' }, 'AIOPS_INPUT_LENGTH');
    return this.serial(stream, async () => {
      const { miner, exists } = await this.load(stream);
      const fresh: { id: number; template: string; line: string }[] = [];
      const off = miner.onNewPattern((e) => fresh.push({ id: e.template.id, template: e.template.template, line: e.line.slice(0, 2000) }));
      const now = Date.now();
      const ids: number[] = [];
      try {
        for (let i = 0; i < lines.length; i++) ids.push(miner.add(lines[i]!, times?.[i] ?? now).templateId);
      } finally {
        off();
      }
      await this.save(stream, miner, exists);
      if (this.onNewPattern) for (const f of fresh) this.onNewPattern({ stream, template: miner.resolve(f.id), line: f.line });
      return { accepted: lines.length, lineTemplates: ids.map((id) => miner.resolve(id).id), newPatterns: fresh };
    });
  }

  async templates(stream: string): Promise<LogTemplate[]> {
    const { miner, exists } = await this.load(stream);
    if (!exists) throw new NotFoundError(`log stream ${stream} not found`, 'AIOPS_STREAM_NOT_FOUND', { field: 'params.stream' });
    return miner.templates().sort((a, b) => b.count - a.count || a.id - b.id);
  }

  async counts(stream: string, templateId: number): Promise<{ start: number; count: number }[]> {
    const { miner, exists } = await this.load(stream);
    if (!exists) throw new NotFoundError(`log stream ${stream} not found`, 'AIOPS_STREAM_NOT_FOUND', { field: 'params.stream' });
    try {
      miner.resolve(templateId);
    } catch {
      throw new NotFoundError(`template ${templateId} not found in stream ${stream}`, 'AIOPS_TEMPLATE_NOT_FOUND', { field: 'params.id' });
    }
    return miner.countsOverTime(templateId);
  }

  private serial<T>(stream: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(stream) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.queues.set(stream, tail);
    void tail.then(() => {
      if (this.queues.get(stream) === tail) this.queues.delete(stream);
    });
    return next;
  }

  private async load(stream: string): Promise<{ miner: LogTemplateMiner; exists: boolean }> {
    const cached = this.cache.get(stream);
    if (cached) return { miner: cached, exists: true };
    const row = await this.store.db.selectFrom('aiops_log_stream').select(['state']).where('id', '=', stream).executeTakeFirst();
    const miner = row ? LogTemplateMiner.fromJSON(fromJson<LogTemplateState>(row.state)) : new LogTemplateMiner(STREAM_OPTIONS);
    if (row) this.remember(stream, miner);
    return { miner, exists: !!row };
  }

  private async save(stream: string, miner: LogTemplateMiner, exists: boolean): Promise<void> {
    const now = nowIso();
    const values = { state: toJson(miner.toJSON()), lines: miner.lineCount, templates: miner.templates().length, updated_at: now };
    if (exists) await this.store.db.updateTable('aiops_log_stream').set(values).where('id', '=', stream).execute();
    else await this.store.db.insertInto('aiops_log_stream').values({ id: stream, ...values, created_at: now }).execute();
    this.remember(stream, miner);
  }

  private remember(stream: string, miner: LogTemplateMiner): void {
    this.cache.delete(stream);
    this.cache.set(stream, miner);
    while (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
  }
}
