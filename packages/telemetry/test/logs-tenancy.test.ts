import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { ClickHouseLogStore, SqliteLogStore } from '../src/index.js';
import { chdb, chdbClient, CHDB_MISSING } from './logs/chdb.js';
import { logTenancyContract } from './logs/tenancy-contract.js';

// Team isolation of logs and events on both engines, through the HTTP routes.
const dir = mkdtempSync(join(tmpdir(), 'logs-tenancy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

logTenancyContract('sqlite', async () => new SqliteLogStore({ path: join(dir, 'logs.db') }));
if (chdb) logTenancyContract('clickhouse (chDB)', async () => new ClickHouseLogStore({ client: chdbClient(join(dir, 'ch')), table: 'otel_logs_tenancy', eventsTable: 'events_tenancy' }));
else describe('team isolation through the log routes: clickhouse (chDB)', () => it.skip(`skipped: ${CHDB_MISSING}`, () => {}));
