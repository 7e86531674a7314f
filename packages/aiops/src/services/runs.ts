// Recorded AIOps runs (table aiops_run): what ran, on what (a summary, not the data), with which
// parameters, what it returned, and how long it took.
import { newId } from '@sreworks/kernel';
import { clampLimit, columnTypes, decodeCursor, fromJson, nowIso, sql, toJson, toPage, type Migration, type Page, type Store } from '@sreworks/store';

export const runMigrations: Migration[] = [
  {
    name: '20261126_01_aiops_run',
    async up(db, d) {
      const t = columnTypes(d);
      await db.schema
        .createTable('aiops_run')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('kind', sql.raw('varchar(32)'), (c) => c.notNull())
        .addColumn('status', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('params', sql.raw(t.json))
        .addColumn('input_summary', sql.raw(t.json))
        .addColumn('output', sql.raw(t.json))
        .addColumn('error', sql.raw(t.text))
        .addColumn('created_by', sql.raw(t.id))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('finished_at', sql.raw(t.ts))
        .addColumn('duration_ms', sql.raw('double precision'))
        .execute();
      await db.schema.createIndex('aiops_run_kind_created').on('aiops_run').columns(['kind', 'created_at']).execute();
    },
    async down(db) {
      await db.schema.dropTable('aiops_run').execute();
    },
  },
];

export type RunKind = 'log-templates' | 'anomalies' | 'periods' | 'forecast' | 'rca';
export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface Run {
  id: string;
  kind: RunKind;
  status: RunStatus;
  params: Record<string, unknown>;
  inputSummary: Record<string, unknown>;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

function toRun(r: Record<string, unknown>): Run {
  return {
    id: String(r.id),
    kind: r.kind as RunKind,
    status: r.status as RunStatus,
    params: fromJson<Record<string, unknown>>(r.params) ?? {},
    inputSummary: fromJson<Record<string, unknown>>(r.input_summary) ?? {},
    error: (r.error as string | null) ?? null,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: String(r.created_at),
    finishedAt: (r.finished_at as string | null) ?? null,
    durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
  };
}

/** Repository of runs over the platform store. */
export class RunStore {
  constructor(private readonly store: Store) {}

  async create(kind: RunKind, params: Record<string, unknown>, inputSummary: Record<string, unknown>, createdBy?: string): Promise<Run> {
    const row = {
      id: newId(),
      kind,
      status: 'running',
      params: toJson(params),
      input_summary: toJson(inputSummary),
      output: null,
      error: null,
      created_by: createdBy ?? null,
      created_at: nowIso(),
      finished_at: null,
      duration_ms: null,
    };
    await this.store.db.insertInto('aiops_run').values(row).execute();
    return toRun(row);
  }

  async finish(id: string, outcome: { output?: unknown; error?: string; durationMs: number }): Promise<void> {
    await this.store.db
      .updateTable('aiops_run')
      .set({
        status: outcome.error === undefined ? 'succeeded' : 'failed',
        output: outcome.error === undefined ? toJson(outcome.output) : null,
        error: outcome.error ?? null,
        finished_at: nowIso(),
        duration_ms: outcome.durationMs,
      })
      .where('id', '=', id)
      .execute();
  }

  async get(id: string): Promise<{ run: Run; output: unknown } | undefined> {
    const r = await this.store.db.selectFrom('aiops_run').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return { run: toRun(r), output: fromJson(r.output) };
  }

  /** Newest first; ids are time-ordered so they are the cursor key. */
  async list(opts: { kind?: string; limit?: number; cursor?: string }): Promise<Page<Run>> {
    const limit = clampLimit(opts.limit);
    const after = decodeCursor(opts.cursor);
    let q = this.store.db
      .selectFrom('aiops_run')
      .select(['id', 'kind', 'status', 'params', 'input_summary', 'error', 'created_by', 'created_at', 'finished_at', 'duration_ms'])
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    if (after !== undefined) q = q.where('id', '<', String(after));
    const rows = await q.execute();
    return toPage(rows.map(toRun), limit, (r) => r.id);
  }
}
