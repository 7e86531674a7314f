// A 2xx from remote_write means committed: kill -9 the server in the middle of ingestion, reopen
// the store and find every acknowledged sample.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWriteRequest, snappyEncode, SqliteMetricsStore } from '../src/index.js';
import { tempDir } from './metrics-helpers.js';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('durability of acknowledged writes', () => {
  // NORMAL is what the platform runs by default (SREWORKS_SQLITE_SYNC): kill -9 must lose nothing
  it('loses nothing acknowledged when the server is killed with SIGKILL during ingestion (synchronous=NORMAL, the default)', async () => {
    await killDuringIngestion(undefined, 'NORMAL');
  });

  it('loses nothing acknowledged when the server is killed with SIGKILL during ingestion (synchronous=FULL)', async () => {
    await killDuringIngestion(undefined, 'FULL');
  });

  it('loses nothing acknowledged when SIGKILL lands during sliced compactions', async () => {
    // compaction every 300 samples, in slices of a few series: the kill finds the wal, chunks and
    // wal_done marks of a cycle half done, and the reopened store must read each sample once
    await killDuringIngestion('300');
  });
});

async function killDuringIngestion(compactEvery?: string, sync: 'FULL' | 'NORMAL' = 'NORMAL'): Promise<void> {
  const tmp = tempDir('sw-metrics-kill-');
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'metrics-durability-server.ts'), tmp.dir, sync, ...(compactEvery ? [compactEvery] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /PORT (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (c) => reject(new Error(`server exited early (${c})`)));
  });
  const t0 = Date.now() - 3_600_000;
  const acked: number[] = []; // batch numbers acknowledged with 2xx
  let stop = false;
  // 4 concurrent senders, each batch = 50 series × 1 sample with a batch-unique timestamp
  const sender = async (lane: number) => {
    for (let b = lane; !stop; b += 4) {
      const series = Array.from({ length: 50 }, (_, s) => ({ labels: { __name__: 'durable', s: String(s) }, timestamps: [t0 + b], values: [b] }));
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/write`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
          body: snappyEncode(encodeWriteRequest(series)),
        });
        if (res.status === 204) acked.push(b);
        else if (res.status !== 429) throw new Error(`unexpected ${res.status}`);
      } catch (e) {
        if (!stop) stop = true; // the server is gone
        if (!/fetch failed|ECONNRESET|socket|other side closed/i.test(String((e as Error).cause ?? e))) throw e;
      }
    }
  };
  const lanes = [0, 1, 2, 3].map(sender);
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  stop = true;
  await Promise.all(lanes);
  expect(acked.length).toBeGreaterThan(5);
  console.log(`acknowledged ${acked.length} batches before SIGKILL`);

  const store = await SqliteMetricsStore.open({ file: join(tmp.dir, 'metrics.db') });
  try {
    const got = await store.select([{ name: '__name__', type: '=', value: 'durable' }], t0, t0 + 1_000_000);
    expect(got).toHaveLength(50);
    for (const s of got) {
      const have = new Set(Array.from(s.values));
      const missing = acked.filter((b) => !have.has(b));
      expect(missing, `series ${s.labels.s}`).toEqual([]);
      // and nothing twice (each batch has its own timestamp)
      expect(new Set(Array.from(s.timestamps)).size, `series ${s.labels.s}`).toBe(s.timestamps.length);
    }
  } finally {
    await store.close();
    tmp.dispose();
  }
}
