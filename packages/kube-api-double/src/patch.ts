// The three classic patch formats: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and a
// strategic merge patch covering list-merge-by-key for the common pod-spec lists.

import { listMergeKey } from './resources.js';
import { badRequest } from './status.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as JsonObject)[k], (b as JsonObject)[k]));
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: unknown, opIndex: number): string[] {
  if (typeof p !== 'string' || (p !== '' && !p.startsWith('/'))) throw badRequest(`json patch operation ${opIndex}: invalid path ${JSON.stringify(p)}`);
  return p === '' ? [] : p.slice(1).split('/').map(unescapePointer);
}

function getAt(doc: Json, path: string[], opIndex: number): Json {
  let cur: Json = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[seg];
    else cur = undefined as unknown as Json;
    if (cur === undefined) throw badRequest(`the server rejected our request due to an error in our request: json patch operation ${opIndex}: path /${path.join('/')} does not exist`);
  }
  return cur;
}

export function jsonPatch(doc: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  let root = clone(doc);
  ops.forEach((raw, i) => {
    if (!isObject(raw)) throw badRequest(`json patch operation ${i} is not an object`);
    const op = raw.op;
    const path = parsePointer(raw.path, i);
    const setAt = (value: Json, insert: boolean) => {
      if (path.length === 0) {
        root = value;
        return;
      }
      const parent = getAt(root, path.slice(0, -1), i);
      const last = path[path.length - 1];
      if (Array.isArray(parent)) {
        const idx = last === '-' ? parent.length : Number(last);
        if (!Number.isInteger(idx) || idx < 0 || idx > parent.length) throw badRequest(`json patch operation ${i}: index ${last} out of range`);
        if (insert) parent.splice(idx, 0, value);
        else parent[idx] = value;
      } else if (isObject(parent)) parent[last] = value;
      else throw badRequest(`json patch operation ${i}: parent of ${String(raw.path)} is not a container`);
    };
    const removeAt = (): Json => {
      const parent = getAt(root, path.slice(0, -1), i);
      const last = path[path.length - 1];
      const old = getAt(root, path, i);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else if (isObject(parent)) delete parent[last];
      return old;
    };
    switch (op) {
      case 'add':
        setAt(clone(raw.value as Json), true);
        break;
      case 'replace':
        getAt(root, path, i);
        setAt(clone(raw.value as Json), false);
        break;
      case 'remove':
        removeAt();
        break;
      case 'move': {
        const from = parsePointer(raw.from, i);
        const fromPath = from;
        const v = getAt(root, fromPath, i);
        const parent = getAt(root, fromPath.slice(0, -1), i);
        const last = fromPath[fromPath.length - 1];
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else if (isObject(parent)) delete parent[last];
        setAt(v, true);
        break;
      }
      case 'copy':
        setAt(clone(getAt(root, parsePointer(raw.from, i), i)), true);
        break;
      case 'test':
        if (!deepEqual(getAt(root, path, i), raw.value)) throw badRequest(`json patch operation ${i}: test failed at ${String(raw.path)}`);
        break;
      default:
        throw badRequest(`json patch operation ${i}: unknown op ${JSON.stringify(op)}`);
    }
  });
  return root;
}

/** Strategic merge patch: maps merge, `null` deletes, lists with a merge key merge by key
 *  (`$patch: delete` removes an item, `$patch: replace` replaces the list), others replace. */
export function strategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const rest = { ...patch };
    delete rest.$patch;
    return clone(rest);
  }
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue; // directives like $setElementOrder, $retainKeys: not modelled
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as Json[]) : [], v, k);
      continue;
    }
    out[k] = strategicMergePatch(out[k] ?? null, v, k);
  }
  void field;
  return out;
}

function mergeList(current: Json[], patch: Json[], field: string): Json[] {
  const key = listMergeKey(field, [...patch, ...current]);
  if (!key) {
    const items = patch.filter((p) => !(isObject(p) && p.$patch === 'replace'));
    return clone(items);
  }
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return clone(patch.filter((p) => !(isObject(p) && p.$patch === 'replace')));
  }
  const out = current.map((x) => clone(x));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const k = item[key];
    const idx = out.findIndex((x) => isObject(x) && deepEqual(x[key], k));
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item);
    else out.push(strategicMergePatch(null, item));
  }
  return out;
}
