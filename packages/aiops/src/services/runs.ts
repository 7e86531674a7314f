// Recorded AIOps runs (table aiops_run): what ran, on what (a summary, not the data), with which
// parameters, what it returned, and how long it took. A running run names the process executing
// it (`owner`), holds a lease that process renews, and has a deadline: a run whose process died
// (restart, crash, kill -9) or that overran its deadline is resolved as failed by the next sweep
// instead of staying "running" forever. Runs cannot be resumed: only a summary of the input is
// kept, so the message asks the user to submit it again.
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
  {
    name: '20261126_03_aiops_run_lease',
    async up(db, d) {
      const t = columnTypes(d);
      // one column per statement: SQLite adds a single column per ALTER TABLE
      await db.schema.alterTable('aiops_run').addColumn('owner', sql.raw('varchar(128)')).execute();
      await db.schema.alterTable('aiops_run').addColumn('lease_until', sql.raw(t.ts)).execute();
      await db.schema.alterTable('aiops_run').addColumn('deadline_at', sql.raw(t.ts)).execute();
      await db.schema.createIndex('aiops_run_status').on('aiops_run').columns(['status']).execute();
    },
    async down(db) {
      await db.schema.dropIndex('aiops_run_status').on('aiops_run').execute();
      for (const c of ['deadline_at', 'lease_until', 'owner']) await db.schema.alterTable('aiops_run').dropColumn(c).execute();
    },
  },
];

/** Who executes a run: this process's instance, with the host and pid to tell a dead one. */
export interface RunOwner {
  /** `<host>/<pid>/<instance id>` */
  id: string;
  host: string;
  pid: number;
}

export function parseOwner(id: string): RunOwner | undefined {
  const m = /^(.*)\/(\d+)\/([^/]+)$/.exec(id);
  return m ? { id, host: m[1]!, pid: Number(m[2]) } : undefined;
}

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

function timedOut(createdAt: string, at: string): string {
  const s = Math.round((Date.parse(at) - Date.parse(createdAt)) / 1000);
  return `timed out: still running ${s} s after it started (at ${at}); submit a smaller input`;
}

/** Repository of runs over the platform store. */
export class RunStore {
  constructor(private readonly store: Store) {}

  async create(
    kind: RunKind,
    params: Record<string, unknown>,
    inputSummary: Record<string, unknown>,
    createdBy?: string,
    lease?: { owner: string; leaseMs: number; timeoutMs: number },
  ): Promise<Run> {
    const now = Date.now();
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
      owner: lease?.owner ?? null,
      lease_until: lease ? new Date(now + lease.leaseMs).toISOString() : null,
      deadline_at: lease ? new Date(now + lease.timeoutMs).toISOString() : null,
    };
    await this.store.db.insertInto('aiops_run').values(row).execute();
    return toRun(row);
  }

  /** Records the outcome of a run still running; false when it was already resolved (e.g. timed out). */
  async finish(id: string, outcome: { output?: unknown; error?: string; durationMs: number }): Promise<boolean> {
    const r = await this.store.db
      .updateTable('aiops_run')
      .set({
        status: outcome.error === undefined ? 'succeeded' : 'failed',
        output: outcome.error === undefined ? toJson(outcome.output) : null,
        error: outcome.error ?? null,
        finished_at: nowIso(),
        duration_ms: outcome.durationMs,
        lease_until: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Extends the lease of every run the owner is executing. */
  async renew(owner: string, leaseMs: number): Promise<void> {
    await this.store.db
      .updateTable('aiops_run')
      .set({ lease_until: new Date(Date.now() + leaseMs).toISOString() })
      .where('owner', '=', owner)
      .where('status', '=', 'running')
      .execute();
  }

  /**
   * Fails every running run whose process is gone or whose deadline passed; returns them.
   * A process is gone when its lease expired, when the run has no owner (written before leases),
   * or at once when it ran on this host under a pid that is no longer alive or is now ours (a
   * restarted container keeps its host name and often its pid). `alive` tells a pid's liveness.
   */
  async resolveStale(self: RunOwner, alive: (pid: number) => boolean, now = new Date()): Promise<{ id: string; error: string }[]> {
    const at = now.toISOString();
    const rows = await this.store.db.selectFrom('aiops_run').select(['id', 'owner', 'lease_until', 'deadline_at', 'created_at']).where('status', '=', 'running').execute();
    const done: { id: string; error: string }[] = [];
    for (const r of rows) {
      const owner = r.owner === null || r.owner === undefined ? undefined : String(r.owner);
      if (owner === self.id) {
        if (r.deadline_at && String(r.deadline_at) < at) done.push({ id: String(r.id), error: timedOut(String(r.created_at), at) });
        continue;
      }
      const o = owner === undefined ? undefined : parseOwner(owner);
      const gone =
        o === undefined || !r.lease_until || String(r.lease_until) < at || (o.host === self.host && (o.pid === self.pid || !alive(o.pid)));
      if (gone) done.push({ id: String(r.id), error: `interrupted by a restart at ${at}: the process running it stopped before it finished; submit it again` });
      else if (r.deadline_at && String(r.deadline_at) < at) done.push({ id: String(r.id), error: timedOut(String(r.created_at), at) });
    }
    const resolved: { id: string; error: string }[] = [];
    for (const d of done) if (await this.fail(d.id, d.error, at)) resolved.push(d);
    return resolved;
  }

  /** Fails a run still running (no-op, false, when it has finished meanwhile). */
  async fail(id: string, error: string, at = nowIso()): Promise<boolean> {
    const r = await this.store.db
      .updateTable('aiops_run')
      .set({ status: 'failed', error, output: null, finished_at: at, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
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
