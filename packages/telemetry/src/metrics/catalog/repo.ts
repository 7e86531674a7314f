// The catalogue repository over the state store (Kysely; SQLite, PostgreSQL or MySQL).
import { ConflictError, newId, NotFoundError } from '@sreworks/kernel';
import { clampLimit, decodeCursor, fromJson, nowIso, toJson, toPage, type Page, type Store } from '@sreworks/store';

export const DATASOURCE_KINDS = ['prometheus', 'remote_write', 'otlp', 'scrape', 'loki', 'clickhouse', 'elasticsearch', 'kubernetes', 'other'] as const;
export type DataSourceKind = (typeof DATASOURCE_KINDS)[number];
export const METRIC_TYPES = ['counter', 'gauge', 'histogram', 'summary', 'derived'] as const;

export interface DataSource {
  id: string;
  teamId: string;
  name: string;
  kind: DataSourceKind;
  description: string | null;
  config: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MetricDef {
  id: string;
  teamId: string;
  name: string;
  type: (typeof METRIC_TYPES)[number];
  unit: string | null;
  labels: string[];
  owner: string | null;
  description: string | null;
  /** for derived metrics: the PromQL that computes it. */
  promql: string | null;
  datasourceId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ListQuery {
  teamIds?: string[];
  limit?: number;
  cursor?: string;
}

function isUniqueViolation(e: unknown): boolean {
  const m = String((e as Error)?.message ?? '') + String((e as { code?: string })?.code ?? '');
  return /UNIQUE|unique|duplicate|23505|ER_DUP_ENTRY/.test(m);
}

const dsRow = (r: any): DataSource => ({
  id: r.id, teamId: r.team_id, name: r.name, kind: r.kind, description: r.description ?? null, config: fromJson(r.config) ?? {},
  createdBy: r.created_by ?? null, createdAt: r.created_at, updatedAt: r.updated_at,
});
const mdRow = (r: any): MetricDef => ({
  id: r.id, teamId: r.team_id, name: r.name, type: r.type, unit: r.unit ?? null, labels: fromJson<string[]>(r.labels) ?? [], owner: r.owner ?? null,
  description: r.description ?? null, promql: r.promql ?? null, datasourceId: r.datasource_id ?? null, createdBy: r.created_by ?? null,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

export class CatalogRepo {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  private async list<T>(table: string, q: ListQuery, map: (r: any) => T, key: (t: T) => string): Promise<Page<T>> {
    const limit = clampLimit(q.limit);
    const after = decodeCursor(q.cursor);
    let sel = this.db.selectFrom(table).selectAll().orderBy('id').limit(limit + 1);
    if (after !== undefined) sel = sel.where('id', '>', String(after));
    if (q.teamIds) {
      if (!q.teamIds.length) return { items: [], nextCursor: null };
      sel = sel.where('team_id', 'in', q.teamIds);
    }
    return toPage((await sel.execute()).map(map), limit, key);
  }

  listDataSources(q: ListQuery): Promise<Page<DataSource>> {
    return this.list('telemetry_datasource', q, dsRow, (d) => d.id);
  }
  listMetrics(q: ListQuery): Promise<Page<MetricDef>> {
    return this.list('telemetry_metric_def', q, mdRow, (d) => d.id);
  }

  async getDataSource(id: string): Promise<DataSource> {
    const r = await this.db.selectFrom('telemetry_datasource').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`data source ${id} does not exist`, 'TELEMETRY_DATASOURCE_NOT_FOUND', { field: 'params.id' });
    return dsRow(r);
  }
  async getMetric(id: string): Promise<MetricDef> {
    const r = await this.db.selectFrom('telemetry_metric_def').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`metric definition ${id} does not exist`, 'TELEMETRY_METRIC_DEF_NOT_FOUND', { field: 'params.id' });
    return mdRow(r);
  }

  async createDataSource(input: Omit<DataSource, 'id' | 'createdAt' | 'updatedAt'>): Promise<DataSource> {
    const now = nowIso();
    const row = { id: newId(), team_id: input.teamId, name: input.name, kind: input.kind, description: input.description, config: toJson(input.config), created_by: input.createdBy, created_at: now, updated_at: now };
    try {
      await this.db.insertInto('telemetry_datasource').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`a data source named ${input.name} already exists in this team`, 'TELEMETRY_DATASOURCE_EXISTS', { field: 'body.name' });
      throw e;
    }
    return dsRow(row);
  }

  async updateDataSource(id: string, patch: Partial<Pick<DataSource, 'name' | 'kind' | 'description' | 'config'>>): Promise<DataSource> {
    await this.getDataSource(id);
    const set: Record<string, unknown> = { updated_at: nowIso() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.kind !== undefined) set.kind = patch.kind;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.config !== undefined) set.config = toJson(patch.config);
    try {
      await this.db.updateTable('telemetry_datasource').set(set).where('id', '=', id).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`a data source named ${patch.name} already exists in this team`, 'TELEMETRY_DATASOURCE_EXISTS', { field: 'body.name' });
      throw e;
    }
    return this.getDataSource(id);
  }

  async deleteDataSource(id: string): Promise<void> {
    await this.getDataSource(id);
    const used = await this.db.selectFrom('telemetry_metric_def').select('id').where('datasource_id', '=', id).executeTakeFirst();
    if (used) throw new ConflictError(`data source ${id} is used by metric definition ${used.id}`, 'TELEMETRY_DATASOURCE_IN_USE', { field: 'params.id' });
    await this.db.deleteFrom('telemetry_datasource').where('id', '=', id).execute();
  }

  async createMetric(input: Omit<MetricDef, 'id' | 'createdAt' | 'updatedAt'>): Promise<MetricDef> {
    if (input.datasourceId) {
      const ds = await this.getDataSource(input.datasourceId).catch(() => undefined);
      if (!ds || ds.teamId !== input.teamId) throw new NotFoundError(`data source ${input.datasourceId} does not exist in this team`, 'TELEMETRY_DATASOURCE_NOT_FOUND', { field: 'body.datasourceId' });
    }
    const now = nowIso();
    const row = {
      id: newId(), team_id: input.teamId, name: input.name, type: input.type, unit: input.unit, labels: toJson(input.labels), owner: input.owner,
      description: input.description, promql: input.promql, datasource_id: input.datasourceId, created_by: input.createdBy, created_at: now, updated_at: now,
    };
    try {
      await this.db.insertInto('telemetry_metric_def').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`a metric named ${input.name} already exists in this team`, 'TELEMETRY_METRIC_DEF_EXISTS', { field: 'body.name' });
      throw e;
    }
    return mdRow(row);
  }

  async updateMetric(id: string, patch: Partial<Pick<MetricDef, 'type' | 'unit' | 'labels' | 'owner' | 'description' | 'promql' | 'datasourceId'>>): Promise<MetricDef> {
    const cur = await this.getMetric(id);
    const set: Record<string, unknown> = { updated_at: nowIso() };
    if (patch.type !== undefined) set.type = patch.type;
    if (patch.unit !== undefined) set.unit = patch.unit;
    if (patch.labels !== undefined) set.labels = toJson(patch.labels);
    if (patch.owner !== undefined) set.owner = patch.owner;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.promql !== undefined) set.promql = patch.promql;
    if (patch.datasourceId !== undefined) {
      if (patch.datasourceId) {
        const ds = await this.getDataSource(patch.datasourceId).catch(() => undefined);
        if (!ds || ds.teamId !== cur.teamId) throw new NotFoundError(`data source ${patch.datasourceId} does not exist in this team`, 'TELEMETRY_DATASOURCE_NOT_FOUND', { field: 'body.datasourceId' });
      }
      set.datasource_id = patch.datasourceId;
    }
    await this.db.updateTable('telemetry_metric_def').set(set).where('id', '=', id).execute();
    return this.getMetric(id);
  }

  async deleteMetric(id: string): Promise<void> {
    await this.getMetric(id);
    await this.db.deleteFrom('telemetry_metric_def').where('id', '=', id).execute();
  }
}
