// The definition registry: versioned, `type@version` pinning, a disabled flag, a revision per
// change. The interface is async so a store-backed registry (persistence comes later) can
// implement it unchanged; compiled templates are cached elsewhere (DefinitionRuntime) by
// kind/name/version, so a registry only keeps data.
import semver from 'semver';
import { oamInput } from '../errors.js';
import { NotFoundError, ConflictError } from '@sreworks/kernel';
import type { Definition, DefinitionKind } from './types.js';

export interface DefinitionRef {
  kind: DefinitionKind;
  name: string;
  version: string;
}

export interface DefinitionChange {
  /** increasing number of the change. */
  revision: number;
  action: 'add' | 'upgrade' | 'replace' | 'disable' | 'enable' | 'remove';
  kind: DefinitionKind;
  name: string;
  version: string;
  at: string;
  source: string;
}

export interface DefinitionRegistry {
  /**
   * The definition to use for `name` (latest enabled version) or `name@version`; `version` may be
   * an exact semver or a range (`1.x`, `^1.2`). Throws OAM_DEF_NOT_FOUND / OAM_DEF_DISABLED.
   */
  resolve(kind: DefinitionKind, name: string, version?: string): Promise<Definition>;
  /** undefined when absent (no throw). */
  get(kind: DefinitionKind, name: string, version?: string): Promise<Definition | undefined>;
  list(filter?: { kind?: DefinitionKind; includeDisabled?: boolean }): Promise<Definition[]>;
  versions(kind: DefinitionKind, name: string): Promise<Definition[]>;
  /** add a new version (or, with `replace`, overwrite an existing one). */
  put(def: Definition, opts?: { replace?: boolean }): Promise<DefinitionChange>;
  setDisabled(kind: DefinitionKind, name: string, version: string | undefined, disabled: boolean): Promise<DefinitionChange[]>;
  remove(kind: DefinitionKind, name: string, version: string): Promise<DefinitionChange>;
  history(kind?: DefinitionKind, name?: string): Promise<DefinitionChange[]>;
}

/** Pick a version among candidates: exact, then semver range; latest when no version. */
export function pickVersion(defs: Definition[], version: string | undefined): Definition | undefined {
  if (!version) return [...defs].sort((a, b) => semver.rcompare(a.version, b.version))[0];
  const exact = defs.find((d) => d.version === version || d.version === semver.clean(version));
  if (exact) return exact;
  const range = semver.validRange(version) ?? semver.validRange(`${version}.x`);
  if (!range) return undefined;
  const best = semver.maxSatisfying(defs.map((d) => d.version), range);
  return best ? defs.find((d) => d.version === best) : undefined;
}

export class InMemoryDefinitionRegistry implements DefinitionRegistry {
  private readonly defs = new Map<string, Definition[]>();
  private readonly changes: DefinitionChange[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  private key(kind: DefinitionKind, name: string): string {
    return `${kind}/${name}`;
  }

  /** Synchronous resolve for hot paths (render holds no await per trait). */
  resolveSync(kind: DefinitionKind, name: string, version?: string): Definition {
    const all = this.defs.get(this.key(kind, name)) ?? [];
    if (all.length === 0) {
      const known = [...this.defs.keys()].filter((k) => k.startsWith(`${kind}/`)).map((k) => k.slice(kind.length + 1));
      throw new NotFoundError(`no ${kind} definition named "${name}"${known.length ? ` (known: ${known.sort().join(', ')})` : ''}`, 'OAM_DEF_NOT_FOUND', { kind, name, version });
    }
    if (version) {
      const d = pickVersion(all, version);
      if (!d) throw new NotFoundError(`${kind} definition "${name}" has no version matching ${version} (have ${all.map((x) => x.version).join(', ')})`, 'OAM_DEF_NOT_FOUND', { kind, name, version });
      if (d.disabled) throw oamInput('OAM_DEF_DISABLED', `${kind} definition ${name}@${d.version} is disabled`, { definition: `${name}@${d.version}`, kind });
      return d;
    }
    const enabled = all.filter((d) => !d.disabled);
    if (enabled.length === 0) throw oamInput('OAM_DEF_DISABLED', `every version of ${kind} definition "${name}" is disabled`, { definition: name, kind });
    return pickVersion(enabled, undefined)!;
  }

  async resolve(kind: DefinitionKind, name: string, version?: string): Promise<Definition> {
    return this.resolveSync(kind, name, version);
  }

  async get(kind: DefinitionKind, name: string, version?: string): Promise<Definition | undefined> {
    return pickVersion(this.defs.get(this.key(kind, name)) ?? [], version);
  }

  async list(filter: { kind?: DefinitionKind; includeDisabled?: boolean } = {}): Promise<Definition[]> {
    const out: Definition[] = [];
    for (const defs of this.defs.values())
      for (const d of defs) if ((!filter.kind || d.kind === filter.kind) && (filter.includeDisabled || !d.disabled)) out.push(d);
    return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || semver.compare(a.version, b.version));
  }

  async versions(kind: DefinitionKind, name: string): Promise<Definition[]> {
    return [...(this.defs.get(this.key(kind, name)) ?? [])].sort((a, b) => semver.compare(a.version, b.version));
  }

  /** Synchronous put, for loading built-ins at start. */
  putSync(def: Definition, opts: { replace?: boolean } = {}): DefinitionChange {
    if (!semver.valid(def.version)) throw oamInput('OAM_DEF_VERSION', `definition ${def.name}: version "${def.version}" is not semver`, { definition: def.name, field: 'spec.version' });
    const k = this.key(def.kind, def.name);
    const list = this.defs.get(k) ?? [];
    const at = list.findIndex((d) => d.version === def.version);
    let action: DefinitionChange['action'] = list.length ? 'upgrade' : 'add';
    if (at >= 0) {
      if (!opts.replace)
        throw new ConflictError(`${def.kind} definition ${def.name}@${def.version} exists; bump the version or replace it`, 'OAM_DEF_VERSION', { definition: `${def.name}@${def.version}` });
      list[at] = def;
      action = 'replace';
    } else list.push(def);
    this.defs.set(k, list);
    return this.record(action, def);
  }

  async put(def: Definition, opts: { replace?: boolean } = {}): Promise<DefinitionChange> {
    return this.putSync(def, opts);
  }

  async setDisabled(kind: DefinitionKind, name: string, version: string | undefined, disabled: boolean): Promise<DefinitionChange[]> {
    const list = this.defs.get(this.key(kind, name)) ?? [];
    const targets = version ? list.filter((d) => d.version === version) : list;
    if (targets.length === 0) throw new NotFoundError(`no ${kind} definition ${name}${version ? `@${version}` : ''}`, 'OAM_DEF_NOT_FOUND', { kind, name, version });
    return targets.map((d) => {
      d.disabled = disabled;
      return this.record(disabled ? 'disable' : 'enable', d);
    });
  }

  async remove(kind: DefinitionKind, name: string, version: string): Promise<DefinitionChange> {
    const k = this.key(kind, name);
    const list = this.defs.get(k) ?? [];
    const at = list.findIndex((d) => d.version === version);
    if (at < 0) throw new NotFoundError(`no ${kind} definition ${name}@${version}`, 'OAM_DEF_NOT_FOUND', { kind, name, version });
    const [d] = list.splice(at, 1);
    if (list.length === 0) this.defs.delete(k);
    return this.record('remove', d);
  }

  async history(kind?: DefinitionKind, name?: string): Promise<DefinitionChange[]> {
    return this.changes.filter((c) => (!kind || c.kind === kind) && (!name || c.name === name));
  }

  private record(action: DefinitionChange['action'], d: Definition): DefinitionChange {
    const c: DefinitionChange = { revision: this.changes.length + 1, action, kind: d.kind, name: d.name, version: d.version, at: this.clock().toISOString(), source: d.source };
    this.changes.push(c);
    return c;
  }
}
