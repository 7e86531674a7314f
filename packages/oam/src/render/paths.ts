// Field paths as the documents write them: `spec.env.DB_HOST`, `spec.containers[0].image`,
// `metadata.labels["app.oam.dev/name"]`. Used by SREWorks toFieldPaths/dataOutputs and KubeVela
// inputs/outputs.
export type PathPart = string | number;

const cache = new Map<string, PathPart[]>();

export function splitPath(path: string): PathPart[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const parts: PathPart[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(Number(m[2]));
    else parts.push(m[3] ?? m[4]);
  }
  if (cache.size < 10_000) cache.set(path, parts);
  return parts;
}

export function getPath(obj: unknown, path: string | PathPart[]): unknown {
  let cur: any = obj;
  for (const p of typeof path === 'string' ? splitPath(path) : path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[p as any];
  }
  return cur;
}

/** Set a value, creating objects (or arrays for numeric parts) on the way. */
export function setPath(obj: Record<string, unknown>, path: string | PathPart[], value: unknown): void {
  const parts = typeof path === 'string' ? splitPath(path) : path;
  if (parts.length === 0) return;
  let cur: any = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = typeof parts[i + 1] === 'number' ? [] : {};
    cur = cur[p];
  }
  cur[parts[parts.length - 1]] = value;
}
