import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ClickHouseLogStore } from '../src/index.js';
import { chdbClient } from './logs/chdb.js';
import { logStoreContract } from './logs/store-contract.js';

// A real ClickHouse engine (chDB 26.x, in-process) behind the real @clickhouse/client.
const dir = mkdtempSync(join(tmpdir(), 'logs-chdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

logStoreContract('clickhouse (chDB)', async () => new ClickHouseLogStore({ client: chdbClient(dir) }));
