import { createClient } from '@clickhouse/client';
import { join } from 'node:path';
import { ClickHouseLogStore } from './clickhouse-store.js';
import { SqliteLogStore } from './sqlite-store.js';
import type { LogStore } from '../types.js';

export type LogStoreConfig =
  | {
      kind: 'sqlite';
      /** The platform data dir: logs live in their own file there, apart from the state store. */
      dataDir: string;
      file?: string;
      synchronous?: 'full' | 'normal';
    }
  | {
      kind: 'clickhouse';
      url: string;
      username?: string;
      password?: string;
      database?: string;
      table?: string;
    };

/** Open the configured log store: SQLite in the data dir by default, ClickHouse at scale. */
export function createLogStore(config: LogStoreConfig): LogStore {
  if (config.kind === 'sqlite') {
    return new SqliteLogStore({ path: join(config.dataDir, config.file ?? 'telemetry-logs.db'), ...(config.synchronous ? { synchronous: config.synchronous } : {}) });
  }
  const client = createClient({
    url: config.url,
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.database !== undefined ? { database: config.database } : {}),
  });
  return new ClickHouseLogStore({ client, ...(config.table ? { table: config.table } : {}) });
}
