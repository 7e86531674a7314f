// One way for the server to get its metrics store from configuration.
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { ClickHouseMetricsStore } from './clickhouse/store.js';
import { SqliteMetricsStore } from './sqlite/store.js';
import type { MetricsStore, RetentionPolicy } from './types.js';

export type MetricsStoreConfig =
  | { kind: 'sqlite'; /** the platform data dir; the store is `<dataDir>/metrics.db`. */ dataDir: string; synchronous?: 'FULL' | 'NORMAL'; retention?: Partial<RetentionPolicy>; retentionIntervalMs?: number }
  | { kind: 'clickhouse'; url: string; username?: string; password?: string; database?: string; retention?: Partial<RetentionPolicy> };

export async function openMetricsStore(cfg: MetricsStoreConfig): Promise<MetricsStore> {
  if (cfg.kind === 'sqlite') {
    return SqliteMetricsStore.open({ file: join(cfg.dataDir, 'metrics.db'), synchronous: cfg.synchronous, retention: cfg.retention, retentionIntervalMs: cfg.retentionIntervalMs ?? 3_600_000 });
  }
  const client = createClient({ url: cfg.url, username: cfg.username, password: cfg.password });
  return ClickHouseMetricsStore.open({ client, database: cfg.database, retention: cfg.retention });
}
