import { getPath, isRecord } from './props.js';

/** Rows of a data-source result: an array, or the first array under items/rows/list/data/result. */
export function extractRows(data: unknown, dataPath?: string): Record<string, unknown>[] {
  const v = dataPath ? getPath(data, dataPath) : data;
  if (Array.isArray(v)) return v.map((r) => (isRecord(r) ? r : { value: r }));
  if (isRecord(v)) {
    for (const k of ['items', 'rows', 'list', 'data', 'result', 'records']) {
      const inner = v[k];
      if (Array.isArray(inner)) return extractRows(inner);
      if (isRecord(inner) && k === 'data') return extractRows(inner);
    }
  }
  return [];
}

/** Total row count for server paging: totalPath, or total/totalCount/count beside the rows. */
export function extractTotal(data: unknown, totalPath?: string): number | undefined {
  const v = totalPath ? getPath(data, totalPath) : isRecord(data) ? (data.total ?? data.totalCount ?? data.count) : undefined;
  const n = Number(v);
  return v === undefined || v === null || !Number.isFinite(n) ? undefined : n;
}

export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return String(a).localeCompare(String(b));
}
