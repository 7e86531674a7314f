import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { LogStore, LogRow, LogSelectQuery } from '../../src/index.js';

const S = 1_000_000_000n;
export const T0 = 1_700_000_000n * S;

async function collect(store: LogStore, q: LogSelectQuery): Promise<(LogRow & { labels: Record<string, string> })[]> {
  const out: (LogRow & { labels: Record<string, string> })[] = [];
  for await (const b of store.select(q)) for (const r of b.rows) out.push({ ...r, labels: b.streams.get(r.streamId)! });
  return out;
}

/** The behaviour every LogStore must show, run against each engine. */
export function logStoreContract(name: string, open: () => Promise<LogStore>): void {
  describe(`LogStore contract: ${name}`, () => {
    let store: LogStore;
    beforeAll(async () => {
      store = await open();
      await store.append([
        {
          labels: { app: 'api', env: 'prod' },
          entries: [
            { ts: T0 + 1n * S, line: 'GET /users 200' },
            { ts: T0 + 2n * S, line: 'GET /orders 500 error' },
            { ts: T0 + 3n * S, line: 'level=error msg="db down"', metadata: { trace_id: 'abc' } },
          ],
        },
        { labels: { app: 'web', env: 'dev' }, entries: [{ ts: T0 + 2n * S + 5n, line: 'render ok' }] },
      ]);
      await store.append([{ labels: { env: 'prod', app: 'api' }, entries: [{ ts: T0 + 4n * S, line: 'GET /health 200' }] }]);
    });
    afterAll(async () => {
      await store.close();
    });

    it('selects by all four matcher kinds, in both directions, with exact ns timestamps', async () => {
      const all = { from: T0, to: T0 + 10n * S };
      const fwd = await collect(store, { ...all, matchers: [{ name: 'app', op: '=', value: 'api' }], direction: 'forward' });
      expect(fwd.map((r) => r.ts)).toEqual([T0 + 1n * S, T0 + 2n * S, T0 + 3n * S, T0 + 4n * S]);
      expect(fwd[0]!.labels).toEqual({ app: 'api', env: 'prod' });
      expect(fwd[2]!.metadata).toEqual({ trace_id: 'abc' });
      const back = await collect(store, { ...all, matchers: [{ name: 'env', op: '=~', value: 'prod|dev' }], direction: 'backward' });
      expect(back.map((r) => r.line)).toEqual(['GET /health 200', 'level=error msg="db down"', 'render ok', 'GET /orders 500 error', 'GET /users 200']);
      expect(back[2]!.ts).toBe(T0 + 2n * S + 5n);
      expect((await collect(store, { ...all, matchers: [{ name: 'app', op: '!=', value: 'api' }] })).map((r) => r.line)).toEqual(['render ok']);
      expect((await collect(store, { ...all, matchers: [{ name: 'app', op: '!~', value: 'a.*' }] })).map((r) => r.line)).toEqual(['render ok']);
    });

    it('honours the time range (inclusive start, exclusive end) and pushed-down line filters', async () => {
      const rows = await collect(store, { from: T0 + 2n * S, to: T0 + 4n * S, matchers: [{ name: 'app', op: '=', value: 'api' }], direction: 'forward' });
      expect(rows.map((r) => r.ts)).toEqual([T0 + 2n * S, T0 + 3n * S]);
      const err = await collect(store, { from: T0, to: T0 + 10n * S, matchers: [{ name: 'app', op: '=~', value: '.+' }], filters: [{ op: '|=', value: 'error' }], direction: 'forward' });
      expect(err.map((r) => r.line)).toEqual(['GET /orders 500 error', 'level=error msg="db down"']);
      // A range wider than the store's first time window (SQLite walks windows): same answer.
      const wide = await collect(store, { from: T0 - 7200n * S, to: T0 + 10n * S, matchers: [{ name: 'app', op: '=~', value: '.+' }], filters: [{ op: '|=', value: 'rror' }], direction: 'backward' });
      expect(wide.map((r) => r.line)).toEqual(['level=error msg="db down"', 'GET /orders 500 error']);
      const notGet = await collect(store, { from: T0, to: T0 + 10n * S, matchers: [{ name: 'app', op: '=~', value: '.+' }], filters: [{ op: '!=', value: 'GET' }], direction: 'forward' });
      expect(notGet.map((r) => r.line)).toEqual(['render ok', 'level=error msg="db down"']);
      const sizes = await collect(store, { from: T0, to: T0 + 10n * S, matchers: [{ name: 'app', op: '=', value: 'web' }], withoutLine: true });
      expect(sizes[0]!.bytes).toBe('render ok'.length);
    });

    it('counts lines per bucket for metric queries', async () => {
      const r = await store.countBuckets({ matchers: [{ name: 'app', op: '=~', value: '.+' }], from: T0, to: T0 + 10n * S, width: 2n * S, withBytes: true });
      const got = r.rows.map((x) => ({ labels: r.streams.get(x.streamId), meta: x.metadata, bucket: x.bucket, count: x.count, bytes: x.bytes }));
      got.sort((a, b) => a.bucket - b.bucket || a.labels!.app!.localeCompare(b.labels!.app!) || (a.meta ? 1 : 0) - (b.meta ? 1 : 0));
      expect(got).toEqual([
        { labels: { app: 'api', env: 'prod' }, meta: undefined, bucket: 0, count: 1, bytes: 14 },
        { labels: { app: 'api', env: 'prod' }, meta: undefined, bucket: 1, count: 1, bytes: 21 },
        { labels: { app: 'api', env: 'prod' }, meta: { trace_id: 'abc' }, bucket: 1, count: 1, bytes: 25 },
        { labels: { app: 'web', env: 'dev' }, meta: undefined, bucket: 1, count: 1, bytes: 9 },
        { labels: { app: 'api', env: 'prod' }, meta: undefined, bucket: 2, count: 1, bytes: 15 },
      ]);
      const f = await store.countBuckets({ matchers: [{ name: 'app', op: '=', value: 'api' }], from: T0, to: T0 + 10n * S, width: 10n * S, filters: [{ op: '|=', value: 'GET' }] });
      expect(f.rows.map((x) => x.count)).toEqual([3]);
    });

    it('creates a new stream once when concurrent appends and one batch repeat it', async () => {
      const e = (n: number) => ({ ts: T0 + 50n * S + BigInt(n), line: `dup ${n}` });
      await Promise.all([
        store.append([{ labels: { app: 'dup' }, entries: [e(1)] }, { labels: { app: 'dup' }, entries: [e(2)] }]),
        store.append([{ labels: { app: 'dup' }, entries: [e(3)] }]),
      ]);
      const rows = await collect(store, { from: T0 + 50n * S, to: T0 + 51n * S, matchers: [{ name: 'app', op: '=', value: 'dup' }], direction: 'forward' });
      expect(rows.map((r) => r.line)).toEqual(['dup 1', 'dup 2', 'dup 3']);
      expect(await store.streams([{ name: 'app', op: '=', value: 'dup' }], { from: T0, to: T0 + 100n * S })).toHaveLength(1);
    });

    it('lists streams, label names and values within a range', async () => {
      const range = { from: T0, to: T0 + 10n * S };
      expect(await store.labelNames(range)).toEqual(['app', 'env']);
      expect(await store.labelValues('app', range)).toEqual(['api', 'web']);
      expect(await store.labelValues('app', range, [{ name: 'env', op: '=', value: 'dev' }])).toEqual(['web']);
      expect((await store.streams([{ name: 'env', op: '=', value: 'prod' }], range)).map((s) => s.labels)).toEqual([{ app: 'api', env: 'prod' }]);
      expect(await store.labelNames({ from: T0 + 100n * S, to: T0 + 200n * S })).toEqual([]);
      // Label names narrowed by matchers (what a team-scoped store asks).
      expect(await store.labelNames(range, [{ name: 'app', op: '=', value: 'web' }])).toEqual(['app', 'env']);
      expect(await store.labelNames(range, [{ name: 'team', op: '=', value: 'red' }])).toEqual([]);
    });

    it('stores events, updates them by fingerprint and searches by time, labels, text with a cursor', async () => {
      const t = 1_700_000_000_000;
      await store.appendEvents([
        { time: t, labels: { namespace: 'shop', kind: 'Pod' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', fingerprint: 'k8s/uid1/BackOff', count: 1 },
        { time: t + 1000, labels: { namespace: 'shop', kind: 'Pod' }, type: 'Normal', reason: 'Pulled', message: 'Successfully pulled image nginx' },
        { time: t + 2000, labels: { namespace: 'infra', kind: 'Node' }, type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready' },
      ]);
      await store.appendEvents([{ time: t + 3000, labels: { namespace: 'shop', kind: 'Pod' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', fingerprint: 'k8s/uid1/BackOff', count: 5 }]);
      const all = await store.searchEvents({ from: t - 1, to: t + 10_000, limit: 10 });
      expect(all.items.map((e) => e.reason)).toEqual(['BackOff', 'NodeNotReady', 'Pulled']);
      expect(all.items[0]!.count).toBe(5);
      const warn = await store.searchEvents({ from: t - 1, to: t + 10_000, limit: 10, matchers: [{ name: 'namespace', op: '=', value: 'shop' }], text: 'BACK-OFF container' });
      expect(warn.items.map((e) => e.reason)).toEqual(['BackOff']);
      const re = await store.searchEvents({ from: t - 1, to: t + 10_000, limit: 10, matchers: [{ name: 'kind', op: '=~', value: 'No.*' }] });
      expect(re.items.map((e) => e.reason)).toEqual(['NodeNotReady']);
      const p1 = await store.searchEvents({ from: t - 1, to: t + 10_000, limit: 2 });
      expect(p1.items).toHaveLength(2);
      expect(p1.nextCursor).not.toBeNull();
      const p2 = await store.searchEvents({ from: t - 1, to: t + 10_000, limit: 2, cursor: p1.nextCursor! });
      expect(p2.items.map((e) => e.reason)).toEqual(['Pulled']);
      expect(p2.nextCursor).toBeNull();
    });

    it('applies retention to logs and events', async () => {
      const r = await store.retain({ logsBefore: T0 + 3n * S, eventsBefore: 1_700_000_001_500 });
      expect(r.logsDeleted).toBe(3);
      expect(r.eventsDeleted).toBe(1);
      const left = await collect(store, { from: T0, to: T0 + 10n * S, matchers: [{ name: 'app', op: '=~', value: '.+' }], direction: 'forward' });
      expect(left.map((x) => x.ts)).toEqual([T0 + 3n * S, T0 + 4n * S]);
      expect(await store.labelValues('app', { from: T0, to: T0 + 10n * S })).toEqual(['api']);
    });
  });
}
