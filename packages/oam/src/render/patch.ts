// The three patch forms a trait may return (KubeVela patch-strategy semantics):
// strategic merge (maps merge, keyed lists merge by patchKey, other lists are replaced; `$patch:
// replace|delete` directives), RFC 7386 JSON merge patch (null deletes), RFC 6902 JSON patch.
import { oamInput, type OamErrorWhere } from '../errors.js';

type Json = any;

/** Merge keys Kubernetes uses for its lists, by field name (strategic merge patch). */
export const DEFAULT_PATCH_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  ports: 'containerPort',
};

export function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/**
 * Strategic merge of `patch` into `target` (returns a new value). `patchKeys` maps a field name
 * or a dotted path (`spec.template.spec.containers`) to the key its list items merge by.
 */
export function strategicMerge(target: Json, patch: Json, patchKeys: Record<string, string> = {}, path = ''): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, Json> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    const p = path ? `${path}.${k}` : k;
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const key = patchKeys[p] ?? patchKeys[k] ?? DEFAULT_PATCH_KEYS[k];
      out[k] = mergeList(out[k], v, key, patchKeys, p);
      continue;
    }
    const merged = strategicMerge(out[k], v, patchKeys, p);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function mergeList(target: Json, patch: Json[], key: string | undefined, patchKeys: Record<string, string>, path: string): Json[] {
  const base: Json[] = Array.isArray(target) ? target : [];
  // `[{$patch: replace}, …items]`: the items replace the list wholesale.
  const head = patch[0];
  if (head && typeof head === 'object' && head.$patch === 'replace' && Object.keys(head).length === 1) return patch.slice(1).map(clone);
  const keyed = key && patch.every((x) => x && typeof x === 'object' && !Array.isArray(x) && (x[key] !== undefined || x.$patch !== undefined));
  if (!keyed) {
    // a list without a merge key is replaced wholesale, as Kubernetes does.
    return patch.map(clone);
  }
  const out = base.map((x) => x);
  for (const item of patch) {
    const at = out.findIndex((x) => x && typeof x === 'object' && x[key!] === item[key!]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = strategicMerge(out[at], item, patchKeys, path);
    else out.push(strategicMerge({}, item, patchKeys, path));
  }
  return out;
}

/** RFC 7386. */
export function jsonMergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: Record<string, Json> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: Json;
  from?: string;
}

/** RFC 6902; failures name the operation index. Returns a new document. */
export function jsonPatch(doc: Json, ops: JsonPatchOp[], where: OamErrorWhere = {}): Json {
  let root = clone(doc);
  ops.forEach((op, i) => {
    const fail = (msg: string): never => {
      throw oamInput('OAM_RENDER_PATCH', `json patch operation ${i} (${op?.op} ${op?.path}): ${msg}`, { ...where, field: `${where.field ?? 'jsonPatch'}[${i}]` });
    };
    if (!op || typeof op !== 'object' || typeof op.path !== 'string') fail('needs op and path');
    const parts = pointer(op.path, fail);
    switch (op.op) {
      case 'add':
        root = put(root, parts, clone(op.value), 'add', fail);
        break;
      case 'replace':
        get(root, parts, fail);
        root = put(root, parts, clone(op.value), 'replace', fail);
        break;
      case 'remove':
        get(root, parts, fail);
        root = del(root, parts, fail);
        break;
      case 'copy':
      case 'move': {
        if (typeof op.from !== 'string') fail('needs from');
        const from = pointer(op.from!, fail);
        const v = clone(get(root, from, fail));
        if (op.op === 'move') root = del(root, from, fail);
        root = put(root, parts, v, 'add', fail);
        break;
      }
      case 'test':
        if (JSON.stringify(get(root, parts, fail)) !== JSON.stringify(op.value)) fail('test failed');
        break;
      default:
        fail(`unknown op "${String((op as any).op)}"`);
    }
  });
  return root;
}

function pointer(p: string, fail: (m: string) => never): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) fail('a JSON pointer starts with /');
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(root: Json, parts: string[], fail: (m: string) => never): Json {
  let cur = root;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object' || !(p in cur)) fail(`path does not exist`);
    cur = Array.isArray(cur) ? cur[Number(p)] : cur[p];
  }
  return cur;
}

function put(root: Json, parts: string[], value: Json, mode: 'add' | 'replace', fail: (m: string) => never): Json {
  if (parts.length === 0) return value;
  const parent = get(root, parts.slice(0, -1), fail);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) fail('array index out of range');
    if (mode === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (parent !== null && typeof parent === 'object') parent[last] = value;
  else fail('parent is not an object or array');
  return root;
}

function del(root: Json, parts: string[], fail: (m: string) => never): Json {
  if (parts.length === 0) return undefined;
  const parent = get(root, parts.slice(0, -1), fail);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return root;
}
