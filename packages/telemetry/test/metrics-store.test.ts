import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { STALE_NAN, isStaleNaN } from '@sreworks/promql';
import { SqliteMetricsStore } from '../src/index.js';
import { tempDir } from './metrics-helpers.js';

describe('SqliteMetricsStore', () => {
  const tmp = tempDir();
  let store: SqliteMetricsStore;
  const T0 = Date.now() - 3_600_000;
  const t0 = T0 - (T0 % 3_600_000);

  beforeAll(async () => {
    store = await SqliteMetricsStore.open({ file: join(tmp.dir, 'metrics.db') });
  });
  afterAll(async () => {
    await store.close();
    tmp.dispose();
  });

  it('stores samples, builds the series dictionary and reads them back by matcher', async () => {
    const ts = Array.from({ length: 240 }, (_, i) => t0 - 3_600_000 + i * 15_000);
    const r = await store.append([
      { labels: { __name__: 'http_requests_total', job: 'api', code: '200' }, timestamps: ts, values: ts.map((_, i) => i * 10) },
      { labels: { __name__: 'http_requests_total', job: 'api', code: '500' }, timestamps: ts, values: ts.map((_, i) => i) },
      { labels: { __name__: 'up', job: 'api' }, timestamps: ts, values: ts.map(() => 1) },
    ]);
    expect(r).toMatchObject({ accepted: 720, duplicates: 0, conflicts: 0, newSeries: 3 });
    const sel = await store.select([{ name: '__name__', type: '=', value: 'http_requests_total' }, { name: 'code', type: '=~', value: '5..' }], t0 - 3_600_000, t0);
    expect(sel).toHaveLength(1);
    expect(sel[0]!.labels).toEqual({ __name__: 'http_requests_total', job: 'api', code: '500' });
    expect(sel[0]!.timestamps.length).toBe(240);
    expect(sel[0]!.values[239]).toBe(239);
    expect(await store.labelValues('code', [{ name: '__name__', type: '=', value: 'http_requests_total' }], t0 - 7_200_000, t0)).toEqual(['200', '500']);
    expect(await store.labelNames([], t0 - 7_200_000, t0)).toEqual(['__name__', 'code', 'job']);
    expect(await store.series([{ name: 'job', type: '=', value: 'api' }, { name: 'code', type: '!=', value: '200' }], t0 - 7_200_000, t0)).toHaveLength(2);
    // outside the range no series is reported although it is in the dictionary
    expect(await store.series([{ name: 'job', type: '=', value: 'api' }], t0 + 86_400_000, t0 + 2 * 86_400_000)).toEqual([]);
  });

  it('ignores an exact duplicate, refuses a conflicting one, accepts out-of-order samples', async () => {
    const l = { __name__: 'temp', room: 'a' };
    await store.append([{ labels: l, timestamps: [t0 + 30_000, t0 + 60_000], values: [20, 21] }]);
    const r = await store.append([{ labels: l, timestamps: [t0 + 15_000, t0 + 30_000, t0 + 60_000], values: [19, 20, 99] }]);
    expect(r).toMatchObject({ accepted: 1, duplicates: 1, conflicts: 1 });
    const [s] = await store.select([{ name: '__name__', type: '=', value: 'temp' }], t0, t0 + 120_000);
    expect(Array.from(s!.timestamps)).toEqual([t0 + 15_000, t0 + 30_000, t0 + 60_000]);
    expect(Array.from(s!.values)).toEqual([19, 20, 21]);
  });

  it('keeps NaN, the stale marker and ±Inf distinct', async () => {
    const l = { __name__: 'odd', k: 'v' };
    await store.append([{ labels: l, timestamps: [t0, t0 + 1000, t0 + 2000, t0 + 3000], values: Float64Array.of(NaN, STALE_NAN, Infinity, -Infinity) }]);
    const [s] = await store.select([{ name: '__name__', type: '=', value: 'odd' }], t0, t0 + 5000);
    expect(Number.isNaN(s!.values[0]!) && !isStaleNaN(s!.values[0]!)).toBe(true);
    expect(isStaleNaN(s!.values[1]!)).toBe(true);
    expect(s!.values[2]).toBe(Infinity);
    expect(s!.values[3]).toBe(-Infinity);
  });

  it('maintains 1m/1h rollups and reads them for coarse queries', async () => {
    const l = { __name__: 'roll', s: '1' };
    const base = t0 - 2 * 3_600_000;
    const ts = Array.from({ length: 8 }, (_, i) => base + i * 15_000); // two minutes
    await store.append([{ labels: l, timestamps: ts, values: [1, 5, 3, 2, 10, 0, 7, 4] }]);
    await store.compact();
    // a late sample for the first minute, after compaction, must update its rollup
    await store.append([{ labels: l, timestamps: [base + 50_000], values: [100] }]);
    // and a re-sent one must not count twice
    expect((await store.append([{ labels: l, timestamps: [base + 15_000], values: [5] }])).duplicates).toBe(1);
    expect((await store.append([{ labels: l, timestamps: [base + 15_000], values: [6] }])).conflicts).toBe(1);
    // raw reads see head and compacted samples together
    const raw = await store.select([{ name: '__name__', type: '=', value: 'roll' }], base, base + 120_000);
    expect(Array.from(raw[0]!.values)).toEqual([1, 5, 3, 2, 100, 10, 0, 7, 4]);
    await store.compact();
    const m = [{ name: '__name__', type: '=' as const, value: 'roll' }];
    expect(store.resolutionFor(base, base + 120_000, { stepMs: 600_000, rangeMs: 600_000, func: 'max_over_time' })).toBe('1m');
    const max = await store.select(m, base, base + 120_000, { stepMs: 600_000, rangeMs: 600_000, func: 'max_over_time' });
    expect(Array.from(max[0]!.values)).toEqual([100, 10]);
    const last = await store.select(m, base, base + 120_000, { stepMs: 600_000, rangeMs: 600_000, func: 'rate' });
    expect(Array.from(last[0]!.values)).toEqual([100, 4]);
    expect(Array.from(last[0]!.timestamps)).toEqual([base + 50_000, base + 105_000]);
    const avg = await store.select(m, base, base + 120_000, { stepMs: 600_000, rangeMs: 600_000, func: 'avg_over_time' });
    expect(avg[0]!.values[0]).toBeCloseTo((1 + 5 + 3 + 2 + 100) / 5);
    // functions that need every sample never read a rollup
    expect(store.resolutionFor(base, base + 120_000, { stepMs: 600_000, rangeMs: 600_000, func: 'count_over_time' })).toBe('raw');
    // fine steps read raw
    expect(store.resolutionFor(base, base + 120_000, { stepMs: 15_000, rangeMs: 300_000, func: 'rate' })).toBe('raw');
    // an 8-day panel at a 6 h step reads hourly rollups
    expect(store.resolutionFor(base - 8 * 86_400_000, base, { stepMs: 6 * 3_600_000, rangeMs: 6 * 3_600_000, func: 'rate' })).toBe('1h');
    // samples still in the head count in rollup reads before any compaction
    await store.append([{ labels: l, timestamps: [base + 110_000], values: [50] }]);
    const fresh = await store.select(m, base, base + 120_000, { stepMs: 600_000, rangeMs: 600_000, func: 'max_over_time' });
    expect(Array.from(fresh[0]!.values)).toEqual([100, 50]);
    expect(fresh[0]!.timestamps[1]).toBe(base + 110_000);
    const stats = await store.stats();
    expect(stats.rollup1mRows).toBeGreaterThan(0);
    expect(stats.rollup1hRows).toBeGreaterThan(0);
  });

  it('applies retention per data kind', async () => {
    const l = { __name__: 'old', s: '1' };
    const now = Date.now();
    await store.append([{ labels: l, timestamps: [now - 10 * 86_400_000], values: [1] }]);
    await store.compact();
    const before = await store.stats();
    // pretend it is 6 days later: raw (15 d) drops the sample, the 1m (90 d) and 1h rollups stay
    const removed = await store.applyRetention(now + 6 * 86_400_000);
    expect(removed).toBeGreaterThanOrEqual(1);
    const after = await store.stats();
    expect(after.rawSamples).toBeLessThan(before.rawSamples);
    expect(after.rollup1hRows).toBe(before.rollup1hRows);
    // samples older than raw retention are refused on write
    const r = await store.append([{ labels: l, timestamps: [now - 20 * 86_400_000], values: [1] }]);
    expect(r.tooOld).toBe(1);
  });

  it('stores metadata', async () => {
    await store.appendMetadata([{ metric: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' }]);
    expect(await store.metadata('http_requests_total')).toEqual([{ metric: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' }]);
  });

  it('keeps the data across a reopen', async () => {
    await store.close();
    store = await SqliteMetricsStore.open({ file: join(tmp.dir, 'metrics.db') });
    const sel = await store.select([{ name: '__name__', type: '=', value: 'up' }], t0 - 3_600_000, t0);
    expect(sel[0]!.timestamps.length).toBe(240);
    const r = await store.append([{ labels: { __name__: 'up', job: 'api' }, timestamps: [t0 + 15_000], values: [1] }]);
    expect(r.newSeries).toBe(0);
  });
});
