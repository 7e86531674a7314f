// The ClickHouse store against a real ClickHouse engine: chDB (ClickHouse 26.x in-process)
// plugged into @clickhouse/client through chdb/connection. Same SQL as a ClickHouse server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { chdb, chdbClient, CHDB_MISSING } from './logs/chdb.js';
import { isStaleNaN, STALE_NAN } from '@sreworks/promql';
import { ClickHouseMetricsStore } from '../src/index.js';
import { tempDir } from './metrics-helpers.js';

describe.skipIf(!chdb)(`ClickHouseMetricsStore on chDB${chdb ? '' : ` (skipped: ${CHDB_MISSING})`}`, () => {
  const tmp = tempDir('sw-chdb-');
  let store: ClickHouseMetricsStore;
  const now = Date.now();
  const t0 = now - (now % 3_600_000) - 3_600_000;

  beforeAll(async () => {
    const client = chdbClient(join(tmp.dir, 'ch'));
    store = await ClickHouseMetricsStore.open({ client, database: 'sw_test' });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    tmp.dispose();
  });

  it('stores samples and selects them with pushed-down matchers', async () => {
    const ts = Array.from({ length: 120 }, (_, i) => t0 + i * 15_000);
    const r = await store.append([
      { labels: { __name__: 'http_requests_total', job: 'api', code: '200', path: 'a\tb\nc\\d' }, timestamps: ts, values: ts.map((_, i) => i * 10) },
      { labels: { __name__: 'http_requests_total', job: 'api', code: '500' }, timestamps: ts, values: ts.map((_, i) => i) },
      { labels: { __name__: 'up', job: 'db' }, timestamps: ts, values: ts.map(() => 1) },
    ]);
    expect(r.accepted).toBe(360);
    const sel = await store.select([{ name: '__name__', type: '=', value: 'http_requests_total' }, { name: 'code', type: '=~', value: '2..' }], t0, t0 + 3_600_000);
    expect(sel).toHaveLength(1);
    expect(sel[0]!.labels.path).toBe('a\tb\nc\\d');
    expect(sel[0]!.timestamps.length).toBe(120);
    expect(sel[0]!.values[119]).toBe(1190);
    expect(await store.select([{ name: 'job', type: '!~', value: 'a.*' }], t0, t0 + 3_600_000)).toHaveLength(1);
    expect(await store.labelNames([], t0, t0 + 3_600_000)).toEqual(['__name__', 'code', 'job', 'path']);
    expect(await store.labelValues('code', [{ name: '__name__', type: '=', value: 'http_requests_total' }], t0, t0 + 3_600_000)).toEqual(['200', '500']);
    expect(await store.series([{ name: 'job', type: '=', value: 'db' }], t0, t0 + 3_600_000)).toEqual([{ __name__: 'up', job: 'db' }]);
    expect(await store.series([{ name: 'job', type: '=', value: 'db' }], t0 + 5 * 86_400_000, t0 + 6 * 86_400_000)).toEqual([]);
  });

  it('keeps NaN, stale markers and ±Inf, and collapses a re-sent sample', async () => {
    const l = { __name__: 'odd', k: 'v' };
    await store.append([{ labels: l, timestamps: [t0, t0 + 1000, t0 + 2000, t0 + 3000], values: Float64Array.of(NaN, STALE_NAN, Infinity, -Infinity) }]);
    await store.append([{ labels: l, timestamps: [t0 + 2000], values: [Infinity] }]);
    const [s] = await store.select([{ name: '__name__', type: '=', value: 'odd' }], t0, t0 + 5000);
    expect(s!.timestamps.length).toBe(4);
    expect(Number.isNaN(s!.values[0]!) && !isStaleNaN(s!.values[0]!)).toBe(true);
    expect(isStaleNaN(s!.values[1]!)).toBe(true);
    expect(s!.values[2]).toBe(Infinity);
    expect(s!.values[3]).toBe(-Infinity);
  });

  it('fills 1m/1h rollups through materialized views and reads them for coarse queries', async () => {
    const l = { __name__: 'roll', s: '1' };
    const base = t0 - 2 * 3_600_000;
    const ts = Array.from({ length: 8 }, (_, i) => base + i * 15_000);
    await store.append([{ labels: l, timestamps: ts, values: [1, 5, 3, 2, 10, 0, 7, 4] }]);
    await store.append([{ labels: l, timestamps: [base + 50_000], values: [100] }]);
    const m = [{ name: '__name__', type: '=' as const, value: 'roll' }];
    const hints = { stepMs: 600_000, rangeMs: 600_000 };
    const max = await store.select(m, base, base + 120_000, { ...hints, func: 'max_over_time' });
    expect(Array.from(max[0]!.values)).toEqual([100, 10]);
    const last = await store.select(m, base, base + 120_000, { ...hints, func: 'rate' });
    expect(Array.from(last[0]!.values)).toEqual([100, 4]);
    expect(Array.from(last[0]!.timestamps)).toEqual([base + 50_000, base + 105_000]);
    const avg = await store.select(m, base, base + 120_000, { ...hints, func: 'avg_over_time' });
    expect(avg[0]!.values[0]).toBeCloseTo(111 / 5);
    const stats = await store.stats();
    expect(stats.rollup1mRows).toBeGreaterThan(0);
    expect(stats.rollup1hRows).toBeGreaterThan(0);
  });

  it('stores metadata and drops expired partitions', async () => {
    await store.appendMetadata([{ metric: 'up', type: 'gauge', help: 'Target up.', unit: '' }]);
    await store.appendMetadata([{ metric: 'up', type: 'gauge', help: 'Target is up.', unit: '' }]);
    expect(await store.metadata('up')).toEqual([{ metric: 'up', type: 'gauge', help: 'Target is up.', unit: '' }]);
    const old = Date.now() - 10 * 86_400_000;
    await store.append([{ labels: { __name__: 'old', s: '1' }, timestamps: [old], values: [1] }]);
    const before = await store.stats();
    const removed = await store.applyRetention(Date.now() + 6 * 86_400_000);
    expect(removed).toBeGreaterThanOrEqual(1);
    const after = await store.stats();
    expect(after.rawSamples).toBe(before.rawSamples - 1);
    expect(after.rollup1hRows).toBe(before.rollup1hRows);
    expect((await store.append([{ labels: { __name__: 'old', s: '1' }, timestamps: [Date.now() - 20 * 86_400_000], values: [1] }])).tooOld).toBe(1);
  });
});
