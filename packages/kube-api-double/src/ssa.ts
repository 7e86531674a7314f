// Server-side apply: field sets per manager, conflicts worded as kube-apiserver words them,
// removal of fields a manager stops applying, and managedFields rendered as FieldsV1.

import { clone, deepEqual, isObject, type Json } from './patch.js';
import { listMergeKey } from './resources.js';
import { applyConflict, type StatusCause } from './status.js';

export type Segment = { f: string } | { k: Record<string, Json> };

export interface FieldPath {
  segs: Segment[];
  /** True for the marker of a keyed list item itself (`.` in FieldsV1). */
  item: boolean;
}

export type FieldSet = Map<string, FieldPath>;

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

export type Part = 'main' | 'status';

function segString(s: Segment): string {
  if ('f' in s) return `.${s.f}`;
  const inner = Object.entries(s.k)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `[${inner}]`;
}

export function pathString(segs: Segment[]): string {
  return segs.map(segString).join('');
}

/** Leaf fields of an object (the part a manager would own). */
export function fieldsOf(obj: Record<string, unknown>, custom: boolean, part: Part): FieldSet {
  const out: FieldSet = new Map();
  const add = (segs: Segment[], item = false) => out.set(pathString(segs) + (item ? '' : ''), { segs, item });
  const walk = (value: unknown, segs: Segment[], field: string) => {
    if (isObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0 && segs.length > 0) add(segs);
      for (const k of keys) walk(value[k], [...segs, { f: k }], k);
      return;
    }
    if (Array.isArray(value)) {
      const key = custom ? undefined : listMergeKey(field, value);
      if (key && value.length > 0 && value.every((i) => isObject(i) && i[key] !== undefined)) {
        for (const itemValue of value as Record<string, Json>[]) {
          const itemSegs = [...segs, { k: { [key]: itemValue[key] } }];
          out.set(pathString(itemSegs), { segs: itemSegs, item: true });
          for (const k of Object.keys(itemValue)) walk(itemValue[k], [...itemSegs, { f: k }], k);
        }
        return;
      }
      add(segs);
      return;
    }
    add(segs);
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'metadata') {
      if (part !== 'main' || !isObject(v)) continue;
      for (const mk of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
        if (v[mk] !== undefined) walk(v[mk], [{ f: 'metadata' }, { f: mk }], mk);
      }
      continue;
    }
    if ((k === 'status') !== (part === 'status')) continue;
    walk(v, [{ f: k }], k);
  }
  return out;
}

/** The value at a field path, or undefined. */
export function valueAt(obj: unknown, segs: Segment[]): unknown {
  let cur: unknown = obj;
  for (const s of segs) {
    if ('f' in s) {
      if (!isObject(cur)) return undefined;
      cur = cur[s.f];
    } else {
      if (!Array.isArray(cur)) return undefined;
      cur = cur.find((i) => isObject(i) && Object.entries(s.k).every(([k, v]) => deepEqual(i[k], v)));
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

function removeAt(obj: unknown, segs: Segment[]): void {
  const parent = valueAt(obj, segs.slice(0, -1));
  const last = segs[segs.length - 1];
  if ('f' in last) {
    if (isObject(parent)) delete parent[last.f];
  } else if (Array.isArray(parent)) {
    const idx = parent.findIndex((i) => isObject(i) && Object.entries(last.k).every(([k, v]) => deepEqual(i[k], v)));
    if (idx >= 0) parent.splice(idx, 1);
  }
}

/** Merge an apply configuration into the live object: maps merge, keyed lists merge by key,
 *  everything else replaces. */
function applyMerge(live: unknown, config: unknown, field: string, custom: boolean): unknown {
  if (isObject(config)) {
    const out: Record<string, unknown> = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) out[k] = applyMerge(out[k], v, k, custom);
    return out;
  }
  if (Array.isArray(config)) {
    const key = custom ? undefined : listMergeKey(field, config);
    if (key && Array.isArray(live) && config.every((i) => isObject(i) && i[key] !== undefined)) {
      const out = live.map((x) => clone(x));
      for (const item of config as Record<string, Json>[]) {
        const idx = out.findIndex((x) => isObject(x) && deepEqual(x[key], item[key]));
        if (idx >= 0) out[idx] = applyMerge(out[idx], item, '', custom) as Json;
        else out.push(clone(item));
      }
      return out;
    }
    return clone(config);
  }
  return clone(config);
}

function managerLabel(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

/** apimachinery's getConflictMessage, same wording and grouping. */
function conflictMessage(conflicts: Array<{ entry: ManagerEntry; path: string }>): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${managerLabel(conflicts[0].entry)}: ${conflicts[0].path}`;
  const by = new Map<string, string[]>();
  for (const c of conflicts) {
    const l = managerLabel(c.entry);
    by.set(l, [...(by.get(l) ?? []), c.path]);
  }
  const parts: string[] = [];
  for (const l of [...by.keys()].sort()) {
    parts.push(`conflicts with ${l}:`);
    for (const p of by.get(l)!) parts.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${parts.join('\n')}`;
}

export function entryKey(manager: string, operation: string, subresource?: string): string {
  return `${manager}\u0000${operation}\u0000${subresource ?? ''}`;
}

export interface ApplyInput {
  live: Record<string, unknown> | undefined;
  config: Record<string, unknown>;
  managers: Map<string, ManagerEntry>;
  manager: string;
  apiVersion: string;
  force: boolean;
  custom: boolean;
  now: string;
  /** Apply to the status subresource (fields under .status, manager entry with subresource). */
  part?: Part;
}

/** Returns the merged object and the new manager table; throws a 409 Status on conflicts. */
export function serverSideApply(input: ApplyInput): { object: Record<string, unknown>; managers: Map<string, ManagerEntry> } {
  const { live, config, manager, custom } = input;
  const managers = new Map([...input.managers].map(([k, e]) => [k, { ...e, fields: new Map(e.fields) }]));
  const part = input.part ?? 'main';
  const applied = fieldsOf(config, custom, part);
  const subresource = part === 'status' ? 'status' : undefined;
  const myKey = entryKey(manager, 'Apply', subresource);
  const conflicts: Array<{ entry: ManagerEntry; path: string; segs: Segment[] }> = [];
  for (const [p, fp] of applied) {
    if (fp.item) continue;
    for (const [k, e] of managers) {
      if (k === myKey || !e.fields.has(p)) continue;
      if (!deepEqual(valueAt(live, fp.segs), valueAt(config, fp.segs))) conflicts.push({ entry: e, path: p, segs: fp.segs });
    }
  }
  if (conflicts.length > 0 && !input.force) {
    const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${managerLabel(c.entry)}`, field: c.path }));
    throw applyConflict(causes, conflictMessage(conflicts));
  }
  for (const c of conflicts) for (const e of managers.values()) if (e !== managers.get(myKey)) e.fields.delete(c.path);

  const object = (live ? clone(live) : {}) as Record<string, unknown>;
  const previous = managers.get(myKey)?.fields ?? new Map<string, FieldPath>();
  const ownedByOthers = (p: string) => {
    for (const [k, e] of managers) {
      if (k === myKey) continue;
      for (const q of e.fields.keys()) if (q === p || q.startsWith(p + '.') || q.startsWith(p + '[')) return true;
    }
    return false;
  };
  // Remove what this manager applied before and no longer applies. Whole list items go first
  // (shallowest first); fields under an item already removed need no further work.
  const dropped = [...previous.entries()].filter(([p]) => !applied.has(p)).sort((a, b) => a[1].segs.length - b[1].segs.length);
  const removedItems: string[] = [];
  for (const [p, fp] of dropped) {
    if (removedItems.some((r) => p.startsWith(r))) continue;
    if (ownedByOthers(p)) continue;
    removeAt(object, fp.segs);
    if (fp.item) removedItems.push(p);
  }
  const merged = applyMerge(object, config, '', custom) as Record<string, unknown>;
  managers.set(myKey, { manager, operation: 'Apply', apiVersion: input.apiVersion, time: input.now, subresource, fields: applied });
  for (const [k, e] of managers) if (e.fields.size === 0) managers.delete(k);
  return { object: merged, managers };
}

/** Ownership after a non-apply write (POST/PUT/merge patch): changed fields move to the writer. */
export function recordUpdate(input: {
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown>;
  managers: Map<string, ManagerEntry>;
  manager: string;
  apiVersion: string;
  custom: boolean;
  part: Part;
  now: string;
}): Map<string, ManagerEntry> {
  const managers = new Map([...input.managers].map(([k, e]) => [k, { ...e, fields: new Map(e.fields) }]));
  const afterFields = fieldsOf(input.after, input.custom, input.part);
  const beforeFields = input.before ? fieldsOf(input.before, input.custom, input.part) : new Map<string, FieldPath>();
  const subresource = input.part === 'status' ? 'status' : undefined;
  const myKey = entryKey(input.manager, 'Update', subresource);
  const mine = managers.get(myKey) ?? { manager: input.manager, operation: 'Update' as const, apiVersion: input.apiVersion, time: input.now, subresource, fields: new Map() };
  let changed = false;
  for (const [p, fp] of afterFields) {
    const prev = beforeFields.get(p);
    if (prev && deepEqual(valueAt(input.before, fp.segs), valueAt(input.after, fp.segs))) continue;
    for (const e of managers.values()) e.fields.delete(p);
    mine.fields.set(p, fp);
    changed = true;
  }
  for (const p of beforeFields.keys()) {
    if (afterFields.has(p)) continue;
    for (const e of managers.values()) e.fields.delete(p);
    mine.fields.delete(p);
  }
  if (changed) {
    mine.time = input.now;
    managers.set(myKey, mine);
  }
  for (const [k, e] of managers) if (e.fields.size === 0) managers.delete(k);
  return managers;
}

/** metadata.managedFields as the API returns it. */
export function renderManagedFields(managers: Map<string, ManagerEntry>): Array<Record<string, unknown>> {
  return [...managers.values()].map((e) => {
    const tree: Record<string, unknown> = {};
    for (const fp of e.fields.values()) {
      let node = tree;
      for (const s of fp.segs) {
        const key = 'f' in s ? `f:${s.f}` : `k:${JSON.stringify(s.k)}`;
        node[key] = (node[key] as Record<string, unknown>) ?? {};
        node = node[key] as Record<string, unknown>;
      }
      if (fp.item) node['.'] = {};
    }
    const out: Record<string, unknown> = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: 'FieldsV1', fieldsV1: tree };
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}
