// Definitions that users add at run time live in the state store; the built-ins come from
// packages/oam/definitions. This registry serves both from memory (render needs no query per
// trait) and writes every change through to the store, so other replicas reload it.
import { newId } from '@sreworks/kernel';
import { fromJson, nowIso, toJson, type Store } from '@sreworks/store';
import { createBuiltinRegistry } from '../definitions/loader.js';
import type { InMemoryDefinitionRegistry, DefinitionChange, DefinitionRegistry } from '../definitions/registry.js';
import type { Definition, DefinitionKind } from '../definitions/types.js';

export class StoreDefinitionRegistry implements DefinitionRegistry {
  private mem: InMemoryDefinitionRegistry;

  private constructor(private readonly store: Store) {
    this.mem = createBuiltinRegistry();
  }

  static async open(store: Store): Promise<StoreDefinitionRegistry> {
    const r = new StoreDefinitionRegistry(store);
    await r.reload();
    return r;
  }

  /** Rebuild memory from the built-ins plus the stored definitions. */
  async reload(): Promise<void> {
    const mem = createBuiltinRegistry();
    const rows = await this.store.db.selectFrom('oam_definition').selectAll().orderBy('created_at').execute();
    for (const r of rows) mem.putSync({ ...fromJson<Definition>(r.definition), disabled: !!r.disabled }, { replace: true });
    this.mem = mem;
  }

  resolve(kind: DefinitionKind, name: string, version?: string) {
    return this.mem.resolve(kind, name, version);
  }
  get(kind: DefinitionKind, name: string, version?: string) {
    return this.mem.get(kind, name, version);
  }
  list(filter?: { kind?: DefinitionKind; includeDisabled?: boolean }) {
    return this.mem.list(filter);
  }
  versions(kind: DefinitionKind, name: string) {
    return this.mem.versions(kind, name);
  }

  async put(def: Definition, opts: { replace?: boolean; actor?: string } = {}): Promise<DefinitionChange> {
    const change = await this.mem.put(def, opts); // validates semver and duplicates first
    const db = this.store.db;
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('oam_definition').where('kind', '=', def.kind).where('name', '=', def.name).where('version', '=', def.version).execute();
      await tx.insertInto('oam_definition').values({ id: newId(), kind: def.kind, name: def.name, version: def.version, definition: toJson(def), disabled: def.disabled ? 1 : 0, source: def.source ?? null, created_at: nowIso() }).execute();
      await tx.insertInto('oam_definition_change').values({ id: newId(), action: change.action, kind: def.kind, name: def.name, version: def.version, actor: opts.actor ?? null, source: def.source ?? null, at: change.at }).execute();
    });
    return change;
  }

  async setDisabled(kind: DefinitionKind, name: string, version: string | undefined, disabled: boolean, actor?: string): Promise<DefinitionChange[]> {
    const changes = await this.mem.setDisabled(kind, name, version, disabled);
    for (const c of changes) {
      const def = await this.mem.get(kind, name, c.version);
      // built-ins become stored rows once changed, so the change survives a restart
      await this.store.db.deleteFrom('oam_definition').where('kind', '=', kind).where('name', '=', name).where('version', '=', c.version).execute();
      if (def) await this.store.db.insertInto('oam_definition').values({ id: newId(), kind, name, version: c.version, definition: toJson(def), disabled: disabled ? 1 : 0, source: def.source ?? null, created_at: nowIso() }).execute();
      await this.store.db.insertInto('oam_definition_change').values({ id: newId(), action: c.action, kind, name, version: c.version, actor: actor ?? null, source: null, at: c.at }).execute();
    }
    return changes;
  }

  async remove(kind: DefinitionKind, name: string, version: string): Promise<DefinitionChange> {
    const c = await this.mem.remove(kind, name, version);
    await this.store.db.deleteFrom('oam_definition').where('kind', '=', kind).where('name', '=', name).where('version', '=', version).execute();
    await this.store.db.insertInto('oam_definition_change').values({ id: newId(), action: 'remove', kind, name, version, actor: null, source: null, at: c.at }).execute();
    return c;
  }

  async history(kind?: DefinitionKind, name?: string): Promise<DefinitionChange[]> {
    let q = this.store.db.selectFrom('oam_definition_change').selectAll().orderBy('id');
    if (kind) q = q.where('kind', '=', kind);
    if (name) q = q.where('name', '=', name);
    const rows = await q.execute();
    return rows.map((r, i) => ({ revision: i + 1, action: r.action, kind: r.kind, name: r.name, version: r.version, at: r.at, source: r.source ?? r.actor ?? 'api' }));
  }
}
