import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteLogStore, createLogStore } from '../src/index.js';
import { logStoreContract } from './logs/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'logs-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

logStoreContract('sqlite (default: writer thread)', async () => new SqliteLogStore({ path: join(dir, 'a.db') }));
logStoreContract('sqlite (inline writer)', async () => new SqliteLogStore({ path: join(dir, 'c.db'), writer: 'inline' }));
logStoreContract('sqlite (createLogStore, synchronous=normal)', async () => createLogStore({ kind: 'sqlite', dataDir: join(dir, 'data'), synchronous: 'normal' }));
