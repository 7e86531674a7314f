// The embedded store's chunk and WAL codecs, and what the chunk layout must keep right: late
// samples into compacted chunks, duplicates against chunks, retention that cuts a chunk, and the
// conversion of a database written by the earlier row-per-sample layout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { STALE_NAN, isStaleNaN } from '@sreworks/promql';
import { SqliteMetricsStore } from '../src/index.js';
import { CHUNK_SAMPLES, chunkCount, decodeChunk, decodeWal, encodeChunk, encodeWal, mergeRuns } from '../src/metrics/sqlite/chunk.js';
import { tempDir } from './metrics-helpers.js';

const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length), (b) => b.toString(16));

describe('chunk codec', () => {
  it('round-trips timestamps and value bits exactly, including NaN payloads, ±Inf, -0 and irregular steps', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const n = 500;
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    let t = 1_700_000_000_000;
    for (let i = 0; i < n; i++) {
      t += i % 50 === 0 ? Math.floor(rnd() * 1e6) : 15_000 + (i % 7 === 0 ? 3 : 0);
      ts[i] = t;
      vs[i] = i % 97 === 0 ? STALE_NAN : i % 89 === 0 ? NaN : i % 83 === 0 ? Infinity : i % 79 === 0 ? -Infinity : i % 71 === 0 ? -0 : i % 3 === 0 ? rnd() * 1e9 : Math.floor(i / 4);
    }
    const data = encodeChunk(ts, vs);
    expect(chunkCount(data)).toBe(n);
    const back = decodeChunk(data);
    expect(Array.from(back.ts)).toEqual(Array.from(ts));
    expect(bits(back.vs)).toEqual(bits(vs));
    expect(isStaleNaN(back.vs[0]!)).toBe(true);
    // a sub-range, a single sample, an empty chunk and a negative timestamp delta
    expect(Array.from(decodeChunk(encodeChunk(ts, vs, 10, 11)).ts)).toEqual([ts[10]]);
    expect(decodeChunk(encodeChunk(ts, vs, 0, 0)).ts.length).toBe(0);
    const odd = decodeChunk(encodeChunk([5_000, 1_000, 2_000], Float64Array.of(1, 2, 3)));
    expect(Array.from(odd.ts)).toEqual([5_000, 1_000, 2_000]);
    // a counter at 15 s takes a few bytes per sample, not 16
    const counter = Float64Array.from({ length: CHUNK_SAMPLES }, (_, i) => i * 3);
    expect(encodeChunk(Float64Array.from({ length: CHUNK_SAMPLES }, (_, i) => 1e12 + i * 15_000), counter).length).toBeLessThan(CHUNK_SAMPLES * 4);
  });

  it('refuses truncated chunks and WAL records instead of returning garbage', () => {
    const data = encodeChunk([1, 2, 3], Float64Array.of(1.5, 2.5, 3.5));
    expect(() => decodeChunk(data.subarray(0, data.length - 1))).toThrow(/corrupt/);
    const wal = encodeWal([{ id: 3, ts: Float64Array.of(1, 2), vs: Float64Array.of(STALE_NAN, 4) }]);
    const got: { id: number; ts: number[]; stale: boolean }[] = [];
    decodeWal(wal, undefined, (s) => got.push({ id: s.id, ts: Array.from(s.ts), stale: isStaleNaN(s.vs[0]!) }));
    expect(got).toEqual([{ id: 3, ts: [1, 2], stale: true }]);
    expect(() => decodeWal(wal.subarray(0, wal.length - 8), undefined, () => undefined)).toThrow(/corrupt/);
  });

  it('merges runs in time order and keeps the first of equal timestamps', () => {
    const m = mergeRuns([
      { ts: Float64Array.of(10, 30), vs: Float64Array.of(1, 3) },
      { ts: Float64Array.of(20, 30, 5), vs: Float64Array.of(2, 99, 0) },
    ]);
    expect(Array.from(m.ts)).toEqual([5, 10, 20, 30]);
    expect(Array.from(m.vs)).toEqual([0, 1, 2, 3]);
  });
});

describe('SqliteMetricsStore chunks', () => {
  const tmp = tempDir('sw-metrics-chunks-');
  let store: SqliteMetricsStore;
  const now = Date.now();
  const t0 = now - 3_600_000 - (now % 60_000);
  const sel = (name: string, from = t0 - 86_400_000, to = now) => store.select([{ name: '__name__', type: '=', value: name }], from, to);

  beforeAll(async () => {
    store = await SqliteMetricsStore.open({ file: join(tmp.dir, 'metrics.db') });
  });
  afterAll(async () => {
    await store.close();
    tmp.dispose();
  });

  it('merges late samples into the compacted chunk they fall in and still detects duplicates there', async () => {
    const l = { __name__: 'late', s: '1' };
    // 3 full chunks and a partial one, every other 15 s slot, compacted
    const n = 3 * CHUNK_SAMPLES + 10;
    const ts = Array.from({ length: n }, (_, i) => t0 - 3 * 3_600_000 + i * 30_000);
    await store.append([{ labels: l, timestamps: ts, values: ts.map((_, i) => i) }]);
    await store.compact();
    // late samples into the first, a middle and the newest chunk, one before everything
    const late = [ts[0]! - 60_000, ts[5]! + 15_000, ts[CHUNK_SAMPLES + 7]! + 15_000, ts[n - 2]! + 15_000];
    const r = await store.append([{ labels: l, timestamps: late, values: [-1, 5.5, 127.5, 1000] }]);
    expect(r).toMatchObject({ accepted: 4, duplicates: 0, conflicts: 0 });
    // before and after compaction: duplicates and conflicts against compacted and head samples
    for (let round = 0; round < 2; round++) {
      const d = await store.append([{ labels: l, timestamps: [ts[3]!, ts[CHUNK_SAMPLES * 2 + 1]!, late[1]!, late[2]!], values: [3, 999, 5.5, 0] }]);
      expect(d).toMatchObject({ accepted: 0, duplicates: 2, conflicts: 2 });
      await store.compact();
    }
    const [s] = await sel('late');
    const want = [...ts.map((t, i) => [t, i]), ...late.map((t, i) => [t, [-1, 5.5, 127.5, 1000][i]!])].sort((a, b) => a[0]! - b[0]!);
    expect(Array.from(s!.timestamps)).toEqual(want.map((x) => x[0]));
    expect(Array.from(s!.values)).toEqual(want.map((x) => x[1]));
    // a window inside one chunk, and one across chunk boundaries
    const [w] = await sel('late', ts[CHUNK_SAMPLES - 2]!, ts[CHUNK_SAMPLES + 2]!);
    expect(Array.from(w!.values)).toEqual([CHUNK_SAMPLES - 2, CHUNK_SAMPLES - 1, CHUNK_SAMPLES, CHUNK_SAMPLES + 1, CHUNK_SAMPLES + 2]);
    expect((await store.stats()).rawSamples).toBeGreaterThanOrEqual(n + 4);
    // the chunks of a series never overlap in time
    const db = new Database(join(tmp.dir, 'metrics.db'), { readonly: true });
    try {
      const rows = db.prepare("SELECT start_ts, end_ts, n FROM chunks WHERE series_id = (SELECT id FROM series WHERE metric = 'late') ORDER BY start_ts").raw(true).all() as [number, number, number][];
      for (let i = 1; i < rows.length; i++) expect(rows[i]![0]).toBeGreaterThan(rows[i - 1]![1]);
      expect(rows.reduce((a, r) => a + r[2], 0)).toBe(n + 4);
    } finally {
      db.close();
    }
  });

  it('keeps the stale marker through the wal and through a chunk', async () => {
    const l = { __name__: 'stale_chunk', s: '1' };
    await store.append([{ labels: l, timestamps: [t0, t0 + 15_000], values: Float64Array.of(1, STALE_NAN) }]);
    const [a] = await sel('stale_chunk');
    expect(isStaleNaN(a!.values[1]!)).toBe(true);
    await store.compact();
    const [b] = await sel('stale_chunk');
    expect(isStaleNaN(b!.values[1]!)).toBe(true);
    expect(Number.isNaN(b!.values[0]!)).toBe(false);
  });

  it('retention cuts a chunk that straddles the cutoff', async () => {
    const l = { __name__: 'cut', s: '1' };
    const base = now - 14 * 86_400_000;
    const ts = Array.from({ length: 100 }, (_, i) => base + i * 60_000); // 100 min, one chunk
    await store.append([{ labels: l, timestamps: ts, values: ts.map((_, i) => i) }]);
    await store.compact();
    // 1 day later the first half of the samples is past the 15-day raw retention
    const later = base + 15 * 86_400_000 + 50 * 60_000;
    await store.applyRetention(later);
    const [s] = await sel('cut', base - 1, base + 200 * 60_000);
    expect(s!.timestamps[0]).toBe(ts[50]);
    expect(s!.timestamps.length).toBe(50);
  });
});

describe('SqliteMetricsStore between two compaction slices', () => {
  it('reads and replays a wal entry already compacted (wal_done) once, not twice', async () => {
    const tmp = tempDir('sw-metrics-slice-');
    const file = join(tmp.dir, 'metrics.db');
    const t0 = Date.now() - 3_600_000 - (Date.now() % 3_600_000);
    const ts = Float64Array.from({ length: 8 }, (_, i) => t0 + i * 15_000);
    const vs = Float64Array.from({ length: 8 }, (_, i) => i + 1);
    let store = await SqliteMetricsStore.open({ file });
    // series a and b in one wal row, both compacted; then the state a slice leaves behind:
    // the row is back for both, but a is marked done up to it (its samples are in chunks)
    await store.append([
      { labels: { __name__: 'sl', s: 'a' }, timestamps: ts, values: vs },
      { labels: { __name__: 'sl', s: 'b' }, timestamps: ts, values: vs },
    ]);
    await store.compact();
    await store.close();
    const db = new Database(file);
    const ids = db.prepare("SELECT id FROM series WHERE metric = 'sl' ORDER BY labels").pluck().all() as number[];
    const seq = (db.prepare('INSERT INTO wal (n, data) VALUES (?, ?) RETURNING seq').pluck().get(16, encodeWal(ids.map((id) => ({ id, ts, vs })))) as number);
    db.prepare('INSERT INTO wal_done (series_id, seq) VALUES (?, ?) ON CONFLICT (series_id) DO UPDATE SET seq = excluded.seq').run(ids[0], seq);
    db.prepare('INSERT INTO wal_done (series_id, seq) VALUES (?, ?) ON CONFLICT (series_id) DO UPDATE SET seq = excluded.seq').run(ids[1], seq - 1);
    db.prepare('DELETE FROM chunks WHERE series_id = ?').run(ids[1]);
    db.prepare('DELETE FROM rollup_1m WHERE series_id = ?').run(ids[1]);
    db.close();
    store = await SqliteMetricsStore.open({ file });
    try {
      const m = [{ name: '__name__', type: '=' as const, value: 'sl' }];
      for (let round = 0; round < 2; round++) {
        const raw = await store.select(m, t0, t0 + 600_000);
        expect(raw.map((s) => Array.from(s.values))).toEqual([Array.from(vs), Array.from(vs)]);
        const avg = await store.select(m, t0, t0 + 600_000, { stepMs: 600_000, rangeMs: 600_000, func: 'avg_over_time' });
        expect(avg.map((s) => Array.from(s.values))).toEqual([[2.5, 6.5], [2.5, 6.5]]); // (1+2+3+4)/4, (5+6+7+8)/4
        // the replayed head holds b only: a re-sent sample of a is a duplicate found in its chunk
        expect(await store.append([{ labels: { __name__: 'sl', s: 'a' }, timestamps: [ts[2]!], values: [3] }])).toMatchObject({ duplicates: 1 });
        await store.compact();
      }
      expect((await store.stats()).rawSamples).toBe(16);
      await store.close();
      // a's samples were not replayed into the head: its rollups count each sample once
      const check = new Database(file, { readonly: true });
      expect(check.prepare('SELECT series_id, sum(cnt) FROM rollup_1m WHERE series_id IN (?, ?) GROUP BY series_id ORDER BY series_id').raw(true).all(...ids)).toEqual([[ids[0], 8], [ids[1], 8]]);
      check.close();
    } finally {
      await store.close();
      tmp.dispose();
    }
  });
});

describe('SqliteMetricsStore on a database of the row-per-sample layout', () => {
  it('converts samples and head rows into chunks and the wal, keeping values and rollups', async () => {
    const tmp = tempDir('sw-metrics-migrate-');
    const file = join(tmp.dir, 'metrics.db');
    const t0 = Date.now() - 3_600_000 - (Date.now() % 3_600_000);
    const db = new Database(file);
    db.exec(`
      CREATE TABLE series (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE, metric TEXT NOT NULL, labels TEXT NOT NULL, created_ms INTEGER NOT NULL);
      CREATE TABLE samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, v REAL, k INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
      CREATE TABLE head (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, v REAL, k INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
      CREATE TABLE rollup_1m (series_id INTEGER NOT NULL, bucket INTEGER NOT NULL, min REAL, max REAL, sum REAL, cnt INTEGER NOT NULL, last REAL, last_ts INTEGER NOT NULL, PRIMARY KEY (series_id, bucket)) WITHOUT ROWID;`);
    // the fingerprint the store computes for {__name__="old", s="1"}
    const { fingerprint, seriesKey } = await import('../src/metrics/labels.js');
    db.prepare('INSERT INTO series VALUES (1, ?, ?, ?, 0)').run(fingerprint(seriesKey({ __name__: 'old', s: '1' })), 'old', JSON.stringify({ __name__: 'old', s: '1' }));
    db.prepare('INSERT INTO series VALUES (2, ?, ?, ?, 0)').run(fingerprint(seriesKey({ __name__: 'old', s: '2' })), 'old', JSON.stringify({ __name__: 'old', s: '2' }));
    const ins = db.prepare('INSERT INTO samples VALUES (?, ?, ?, ?)');
    for (let i = 0; i < 130; i++) ins.run(1, t0 + i * 15_000, i === 5 ? null : i, i === 5 ? 2 : 0);
    for (let i = 0; i < 10; i++) ins.run(2, t0 + i * 15_000, 100 - i, 0);
    db.prepare('INSERT INTO rollup_1m VALUES (1, ?, 0, 3, 6, 4, 3, ?)').run(t0, t0 + 45_000);
    db.prepare('INSERT INTO head VALUES (1, ?, 7, 0)').run(t0 + 130 * 15_000);
    db.close();

    const store = await SqliteMetricsStore.open({ file });
    try {
      const [s, s2] = await store.select([{ name: '__name__', type: '=', value: 'old' }], t0, t0 + 200 * 15_000);
      expect(Array.from(s2!.values)).toEqual(Array.from({ length: 10 }, (_, i) => 100 - i));
      expect(s!.timestamps.length).toBe(131);
      expect(isStaleNaN(s!.values[5]!)).toBe(true);
      expect(s!.values[129]).toBe(129);
      expect(s!.values[130]).toBe(7);
      // the series keeps its id: a re-sent sample is a duplicate, not a new series
      const r = await store.append([{ labels: { __name__: 'old', s: '1' }, timestamps: [t0 + 15_000], values: [1] }]);
      expect(r).toMatchObject({ duplicates: 1, newSeries: 0 });
      await store.compact();
      expect((await store.stats()).rollup1mRows).toBeGreaterThan(1); // the old row and the head's minute
      await store.close();
      const check = new Database(file, { readonly: true });
      expect(check.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('samples', 'head')").pluck().get()).toBe(0);
      check.close();
    } finally {
      await store.close();
      tmp.dispose();
    }
  });
});
