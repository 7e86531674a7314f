import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseLogStore } from '../src/index.js';
import { buildLogsApp } from './logs/app.js';
import { chdb, chdbClient, CHDB_MISSING } from './logs/chdb.js';
import { logStoreContract } from './logs/store-contract.js';

// A real ClickHouse engine (chDB 26.x, in-process) behind the real @clickhouse/client.
const dir = mkdtempSync(join(tmpdir(), 'logs-chdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

if (chdb) logStoreContract('clickhouse (chDB)', async () => new ClickHouseLogStore({ client: chdbClient(dir) }));

describe.skipIf(!chdb)(`Loki API over the ClickHouse store (chDB)${chdb ? '' : ` (skipped: ${CHDB_MISSING})`}`, () => {
  it('pushes, then answers streams and matrix queries', async () => {
    const store = new ClickHouseLogStore({ client: chdbClient(dir), table: 'otel_logs_api', eventsTable: 'events_api' });
    const { app } = await buildLogsApp(store);
    const s = Math.floor(Date.now() / 1000) - 60;
    const ns = (x: number) => `${x}000000000`;
    const body = { streams: [{ stream: { app: 'ch', level: 'error' }, values: [[ns(s), '{"code":500,"msg":"boom"}'], [ns(s + 1), '{"code":200,"msg":"ok"}']] }] };
    expect((await app.inject({ method: 'POST', url: '/loki/api/v1/push', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).statusCode).toBe(204);
    const q = { start: ns(s - 300), end: ns(s + 300) };
    const streams = await app.inject({ method: 'GET', url: '/loki/api/v1/query_range', query: { query: '{app="ch"} | json | code >= 500 | line_format "{{.msg}}"', ...q } });
    expect(streams.json().data.result).toEqual([{ stream: { app: 'ch', level: 'error', code: '500', msg: 'boom' }, values: [[ns(s), 'boom']] }]);
    // Windows (t-5m, t]: the step at s holds the line at s, the step at s+300 the line at s+1.
    const matrix = await app.inject({ method: 'GET', url: '/loki/api/v1/query_range', query: { query: 'sum by (level) (count_over_time({app="ch"} |= "code" [5m]))', ...q, step: '300' } });
    expect(matrix.json().data).toMatchObject({ resultType: 'matrix', result: [{ metric: { level: 'error' }, values: [[s, '1'], [s + 300, '1']] }] });
    await app.close();
    await store.close();
  });
});
