// Components in the state store: every save is a new immutable version.
import { NotFoundError, ConflictError } from '@sreworks/kernel';
import { fromJson, nowIso, toJson, type Kysely, type Store } from '@sreworks/store';
import { componentType, type ComponentDef, type ComponentRecord } from './model.js';

export interface ComponentVersion {
  version: number;
  comment: string | null;
  createdAt: string;
  createdBy: string | null;
}

export class ComponentStore {
  constructor(private readonly store: Store) {}

  private get db(): Kysely<any> {
    return this.store.db;
  }

  async list(): Promise<ComponentRecord[]> {
    const rows = await this.db
      .selectFrom('lowcode_components as c')
      .innerJoin('lowcode_component_versions as v', (j) => j.onRef('v.name', '=', 'c.name').onRef('v.version', '=', 'c.latest_version'))
      .select(['c.name', 'c.kind', 'c.team_id', 'c.latest_version', 'c.updated_at', 'c.updated_by', 'v.def'])
      .orderBy('c.name')
      .execute();
    return rows.map(toRecord);
  }

  async get(name: string, version?: number): Promise<ComponentRecord> {
    const c = await this.db.selectFrom('lowcode_components').selectAll().where('name', '=', name).executeTakeFirst();
    if (!c) throw new NotFoundError(`no component "${name}"`, 'LOWCODE_COMPONENT_NOT_FOUND', { field: 'params.name' });
    const v = version ?? Number(c.latest_version);
    const r = await this.db.selectFrom('lowcode_component_versions').select('def').where('name', '=', name).where('version', '=', v).executeTakeFirst();
    if (!r) throw new NotFoundError(`component "${name}" has no version ${v}`, 'LOWCODE_COMPONENT_VERSION_NOT_FOUND', { field: 'query.version' });
    return toRecord({ ...c, latest_version: v, def: r.def });
  }

  async versions(name: string): Promise<ComponentVersion[]> {
    await this.get(name);
    const rows = await this.db.selectFrom('lowcode_component_versions').select(['version', 'comment', 'created_at', 'created_by']).where('name', '=', name).orderBy('version', 'desc').execute();
    return rows.map((r: any) => ({ version: Number(r.version), comment: r.comment ?? null, createdAt: r.created_at, createdBy: r.created_by ?? null }));
  }

  async teamOf(name: string): Promise<string | undefined> {
    const c = await this.db.selectFrom('lowcode_components').select('team_id').where('name', '=', name).executeTakeFirst();
    return c?.team_id ?? undefined;
  }

  async save(name: string, def: ComponentDef, opts: { user?: string; teamId?: string; comment?: string; expectedVersion?: number }): Promise<ComponentRecord> {
    await this.db.transaction().execute(async (trx) => {
      const c = await trx.selectFrom('lowcode_components').selectAll().where('name', '=', name).executeTakeFirst();
      if (c && c.kind !== def.kind) throw new ConflictError(`component "${name}" is a ${c.kind} component; pick another name`, 'LOWCODE_COMPONENT_KIND', { field: 'body.def.kind' });
      const latest = c ? Number(c.latest_version) : 0;
      if (opts.expectedVersion !== undefined && latest !== opts.expectedVersion) throw new ConflictError(`component "${name}" changed meanwhile (latest version ${latest}, expected ${opts.expectedVersion})`, 'LOWCODE_COMPONENT_CHANGED', { field: 'body.expectedVersion' });
      const now = nowIso();
      const version = latest + 1;
      await trx.insertInto('lowcode_component_versions').values({ name, version, def: toJson(def), comment: opts.comment ?? null, created_at: now, created_by: opts.user ?? null }).execute();
      if (c) await trx.updateTable('lowcode_components').set({ latest_version: version, updated_at: now, updated_by: opts.user ?? null }).where('name', '=', name).execute();
      else await trx.insertInto('lowcode_components').values({ name, kind: def.kind, team_id: opts.teamId ?? null, latest_version: version, updated_at: now, updated_by: opts.user ?? null }).execute();
    });
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    await this.get(name);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('lowcode_component_versions').where('name', '=', name).execute();
      await trx.deleteFrom('lowcode_components').where('name', '=', name).execute();
    });
  }
}

function toRecord(r: any): ComponentRecord {
  return {
    name: r.name,
    kind: r.kind,
    type: componentType(r.kind, r.name),
    teamId: r.team_id ?? null,
    version: Number(r.latest_version),
    def: fromJson<ComponentDef>(r.def),
    updatedAt: r.updated_at,
    updatedBy: r.updated_by ?? null,
  };
}
