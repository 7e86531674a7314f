export { openStore, type Store, type StoreOptions, type DialectName } from './connect.js';
export { migrate, type Migration } from './migrate.js';
export { columnTypes, toJson, fromJson, nowIso } from './columns.js';
export { encodeCursor, decodeCursor, clampLimit, toPage, DEFAULT_LIMIT, MAX_LIMIT, type Page } from './pagination.js';
export { sql, type Kysely } from 'kysely';
