import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteLogStore } from '../src/index.js';

const child = fileURLToPath(new URL('./logs/ingest-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('a 2xx means durable', () => {
  it.each(['normal', 'full'])('keeps every acknowledged line when the ingesting process is killed with SIGKILL (synchronous=%s)', async (sync) => {
    const dir = mkdtempSync(join(tmpdir(), 'logs-kill-'));
    const db = join(dir, 'logs.db');
    const proc = spawn(process.execPath, ['--import', 'tsx', child, db, sync], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let buf = '';
        proc.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          const nl = buf.indexOf('\n');
          if (nl >= 0) resolve((JSON.parse(buf.slice(0, nl)) as { port: number }).port);
        });
        proc.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      });
      const acked: string[] = [];
      let stop = false;
      const base = BigInt(Date.now()) * 1_000_000n;
      let seq = 0;
      // Four concurrent senders, 100 lines per push, until the child dies under them.
      const sender = async (w: number) => {
        while (!stop) {
          const ids = Array.from({ length: 100 }, () => `w${w}-${seq++}`);
          const body = JSON.stringify({ streams: [{ stream: { app: 'kill', worker: String(w) }, values: ids.map((id, i) => [String(base + BigInt(seq * 1000 + i)), `line ${id}`]) }] });
          try {
            const r = await fetch(`http://127.0.0.1:${port}/loki/api/v1/push`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
            if (r.status === 204) acked.push(...ids);
          } catch {
            return; // connection died with the child: this batch was never acknowledged
          }
        }
      };
      const senders = [0, 1, 2, 3].map(sender);
      while (acked.length < 3000) await new Promise((r) => setTimeout(r, 5));
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
      stop = true;
      await Promise.all(senders);

      const store = new SqliteLogStore({ path: db });
      const seen = new Set<string>();
      for await (const b of store.select({ matchers: [{ name: 'app', op: '=', value: 'kill' }], from: 0n, to: base * 2n })) {
        for (const r of b.rows) seen.add(r.line.slice(5));
      }
      await store.close();
      const lost = acked.filter((id) => !seen.has(id));
      expect(acked.length).toBeGreaterThanOrEqual(3000);
      expect(lost).toEqual([]);
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
