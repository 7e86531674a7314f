import { InputError } from '@sreworks/kernel';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Cursor = base64url of the last row's sort key; opaque to clients. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (v && (typeof v.k === 'string' || typeof v.k === 'number')) return v.k;
  } catch {
    /* fall through */
  }
  throw new InputError('cursor is not a cursor returned by this API', { field: 'querystring.cursor' }, 'INPUT_BAD_CURSOR');
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  return Math.min(Math.max(1, Math.floor(limit)), MAX_LIMIT);
}

/** Fetch limit+1 rows ordered by `key`, then call this to build the page. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => string | number): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(key(items[items.length - 1]!)) : null };
}
