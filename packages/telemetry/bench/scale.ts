// npm run bench -- scale: the panel when the store holds the whole 24 h of the 2,000-series
// stream (11.5 M samples), for the two embedded candidates. Rows are generated inside each
// engine in arrival order (time-major, as remote_write delivers them), so no HTTP is involved:
// this measures only how the 20-series read scales with the data around it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteMetricsStore } from '../src/index.js';
import { fakeEngine } from '../test/metrics-helpers.js';
import { DuckDbCandidate, duckdbAvailable } from './duckdb.js';
import { DAY_STEPS, percentile, seriesLabels, STEP_MS } from './load.js';

const si = process.argv.indexOf('--series');
const SERIES = si >= 0 ? Number(process.argv[si + 1]) : 2000;
const ITER = 20;
const work = mkdtempSync(join(tmpdir(), 'sw-bench-scale-'));
const engine = fakeEngine();
const end = Date.now() - (Date.now() % STEP_MS);
const t0 = end - (DAY_STEPS - 1) * STEP_MS;
const q = 'rate(bench_requests_total{service="svc-0"}[5m])';

async function timePanel(store: import('@sreworks/promql').Queryable): Promise<[number, number]> {
  const times: number[] = [];
  for (let i = 0; i < ITER + 2; i++) {
    const t = process.hrtime.bigint();
    await engine.rangeQuery(store, q, end - 86_400_000, end, 60_000);
    if (i >= 2) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return [percentile(times, 50), percentile(times, 99)];
}

try {
  const seed = Array.from({ length: SERIES }, (_, i) => ({ labels: seriesLabels(i), timestamps: [t0 - STEP_MS], values: [0] }));
  // SQLite: dictionary through the store, samples and rollups generated in SQL, time-major, in
  // the earlier row-per-sample layout; reopening the store converts them into chunks (the
  // conversion it runs on an old database)
  {
    const file = join(work, 'sqlite', 'metrics.db');
    let store = await SqliteMetricsStore.open({ file, synchronous: 'NORMAL' });
    await store.append(seed);
    await store.close();
    const db = new Database(file);
    const t = Date.now();
    db.exec('CREATE TABLE samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, v REAL, k INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (series_id, ts)) WITHOUT ROWID');
    db.exec(`WITH RECURSIVE k(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM k WHERE x < ${DAY_STEPS - 1})
      INSERT INTO samples (series_id, ts, v, k) SELECT s.id, ${t0} + x * ${STEP_MS}, x * (1 + s.id % 7), 0 FROM k, series s ORDER BY x, s.id`);
    for (const [table, w] of [['rollup_1m', 60_000], ['rollup_1h', 3_600_000]] as const) {
      db.exec(`INSERT OR REPLACE INTO ${table} SELECT series_id, ts - ts % ${w}, min(v), max(v), sum(v), count(*), max(v), max(ts) FROM samples GROUP BY series_id, ts - ts % ${w}`);
    }
    const rows = db.prepare('SELECT count(*) FROM samples').pluck().get();
    db.close();
    console.log(`sqlite: generated ${rows} samples in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    const tc = Date.now();
    store = await SqliteMetricsStore.open({ file });
    console.log(`sqlite: converted into chunks in ${((Date.now() - tc) / 1000).toFixed(0)} s`);
    const [p50, p99] = await timePanel(store);
    console.log(`| SQLite, per-series chunks | ${rows} | ${p50.toFixed(1)} | ${p99.toFixed(1)} |`);
    await store.close();
  }
  if (!(await duckdbAvailable())) console.log('DuckDB skipped: npm install --no-save @duckdb/node-api@1.5.6-r.1 to measure it');
  else {
    const dir = join(work, 'duckdb');
    mkdirSync(dir);
    const duck = await DuckDbCandidate.open(join(dir, 'm.duckdb'));
    await duck.append(seed);
    const t = Date.now();
    await duck.exec(`INSERT INTO samples SELECT s.id, ${t0} + x * ${STEP_MS}, x * (1 + s.id % 7) FROM range(${DAY_STEPS}) r(x), series s ORDER BY x, s.id`);
    const rows = await duck.scalar('SELECT count(*) FROM samples');
    console.log(`duckdb: generated ${rows} samples in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    const [p50, p99] = await timePanel(duck);
    console.log(`| DuckDB (no index, zone maps) | ${rows} | ${p50.toFixed(1)} | ${p99.toFixed(1)} |`);
    await duck.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
