import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { ClickHouseLogStore } from '../src/index.js';
import { logStoreContract } from './logs/store-contract.js';

// A real ClickHouse engine (chDB, in-process) behind the real @clickhouse/client.
const dir = mkdtempSync(join(tmpdir(), 'logs-chdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

logStoreContract('clickhouse (chDB)', async () => new ClickHouseLogStore({ client: createClient({ connection: createChdbConnection({ path: dir }) }) }));
