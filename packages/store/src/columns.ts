import type { DialectName } from './connect.js';

/**
 * Column types that behave the same on all three dialects. Conventions for every table:
 * ids `varchar(64)`, timestamps ISO-8601 UTC strings in `varchar(32)` (sortable), JSON as text
 * (serialise with toJson/fromJson), booleans as integer 0/1, counters as bigint.
 */
export function columnTypes(d: DialectName) {
  return {
    id: 'varchar(64)',
    name: 'varchar(255)',
    ts: 'varchar(32)',
    /** unbounded text; MySQL TEXT is 64 KB, so use MEDIUMTEXT there. */
    text: d === 'mysql' ? 'mediumtext' : 'text',
    /** JSON documents (specs, rendered objects); LONGTEXT on MySQL. */
    json: d === 'mysql' ? 'longtext' : 'text',
    /** binary blobs (packages, tarballs). */
    blob: d === 'postgres' ? 'bytea' : d === 'mysql' ? 'longblob' : 'blob',
  } as const;
}

export function toJson(v: unknown): string {
  return JSON.stringify(v ?? null);
}

export function fromJson<T = unknown>(v: unknown): T {
  if (v === null || v === undefined) return null as T;
  if (typeof v === 'string') return JSON.parse(v) as T;
  return v as T; // drivers that already parsed it
}

export function nowIso(): string {
  return new Date().toISOString();
}
