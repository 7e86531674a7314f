import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import snappy from 'snappy';
import type { LogStore } from '../../src/index.js';
import { buildLogsApp } from './app.js';

const TEAMS = ['red', 'blue'] as const;
type Team = (typeof TEAMS)[number];
const other = (t: Team): Team => (t === 'red' ? 'blue' : 'red');

/**
 * Team isolation through every log and event route, run against each engine: two teams push
 * through every ingestion path (each stream also claiming to be the other team, by stream label,
 * structured metadata and OTLP attributes), and each read path shows a team its own data only.
 * The request's team comes from `x-team` (the server derives it from the token: see
 * apps/server/test/telemetry.test.ts); no header = a platform admin acting for no team.
 */
export function logTenancyContract(name: string, open: () => Promise<LogStore>): void {
  describe(`team isolation through the log routes: ${name}`, () => {
    let store: LogStore;
    let app: FastifyInstance;
    const NOW_S = Math.floor(Date.now() / 1000) - 120;
    const ns = (s: number) => `${s}000000000`;
    const range = { start: ns(NOW_S - 600), end: ns(NOW_S + 600) };
    const as = (team?: Team): Record<string, string> => (team ? { 'x-team': team } : {});
    const get = async (url: string, query: Record<string, string>, team?: Team) => {
      const r = await app.inject({ method: 'GET', url, query, headers: as(team) });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const post = async (url: string, payload: string | Buffer, contentType: string, team?: Team) => {
      const r = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, ...as(team) } });
      expect(r.statusCode, r.body).toBeLessThan(300);
      return r;
    };

    beforeAll(async () => {
      store = await open();
      const tenantOf = (req: FastifyRequest) => req.headers['x-team'] as string | undefined;
      // `x-teams: red,blue` stands for a member of both teams reading without X-Scope-OrgID
      const readTenantsOf = (req: FastifyRequest) => (req.headers['x-teams'] ? String(req.headers['x-teams']).split(',') : ((t) => (t ? [t] : undefined))(tenantOf(req)));
      ({ app } = await buildLogsApp(store, undefined, undefined, { tenantOf, readTenantsOf }));
      const root = await protobuf.load(fileURLToPath(new URL('./push.proto', import.meta.url)));
      const PushRequest = root.lookupType('logproto.PushRequest');
      for (const team of TEAMS) {
        const o = other(team);
        const lokiJson = { streams: [{ stream: { app: 'shop', team: o, [`only_${team}`]: '1' }, values: [[ns(NOW_S), `${team} json line`, { team: o, pod: 'p1' }]] }] };
        await post('/loki/api/v1/push', JSON.stringify(lokiJson), 'application/json', team);
        const proto = PushRequest.fromObject({
          streams: [{ labels: `{app="shop", team="${o}"}`, entries: [{ timestamp: { seconds: NOW_S + 1, nanos: 0 }, line: `${team} proto line`, structuredMetadata: [{ name: 'team', value: o }] }] }],
        });
        await post('/loki/api/v1/push', snappy.compressSync(Buffer.from(PushRequest.encode(proto).finish())), 'application/x-protobuf', team);
        const otlp = {
          resourceLogs: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop-otlp' } }, { key: 'team', value: { stringValue: o } }] },
              scopeLogs: [{ logRecords: [{ timeUnixNano: ns(NOW_S + 2), body: { stringValue: `${team} otlp line` }, attributes: [{ key: 'team', value: { stringValue: o } }] }] }],
            },
          ],
        };
        await post('/otlp/v1/logs', JSON.stringify(otlp), 'application/json', team);
        const bulk = [JSON.stringify({ create: { _index: 'app-logs' } }), JSON.stringify({ '@timestamp': new Date((NOW_S + 3) * 1000).toISOString(), message: `${team} es line`, team: o }), ''].join('\n');
        const b = await post('/api/ingest/es/_bulk', bulk, 'application/x-ndjson', team);
        expect(b.json().errors).toBe(false);
        // Same fingerprint for both teams: each keeps its own event (no overwrite across teams).
        const events = [{ time: (NOW_S + 4) * 1000, labels: { app: 'shop', team: o }, type: 'info', reason: 'Deployed', message: `${team} deployed v1`, fingerprint: 'deploy-1' }];
        await post('/api/events', JSON.stringify(events), 'application/json', team);
      }
      // A line and an event with no tenant: what was stored before isolation looks like this.
      await post('/loki/api/v1/push', JSON.stringify({ streams: [{ stream: { app: 'legacy' }, values: [[ns(NOW_S + 5), 'legacy line']] }] }), 'application/json');
      await post('/api/events', JSON.stringify([{ time: (NOW_S + 5) * 1000, labels: { app: 'legacy' }, message: 'legacy event' }]), 'application/json');
    });
    afterAll(async () => {
      await app?.close();
      await store?.close();
    });

    const lines = (data: { result: { stream: Record<string, string>; values: string[][] }[] }) =>
      data.result.flatMap((s) => s.values.map((v) => ({ team: s.stream.team, line: v[1]! }))).sort((a, b) => a.line.localeCompare(b.line));

    it.each(TEAMS)('log queries show %s its own lines, stamped with its team whatever the sender claimed', async (team) => {
      const mine = ['es line', 'json line', 'otlp line', 'proto line'].map((l) => ({ team, line: `${team} ${l}` }));
      const all = await get('/loki/api/v1/query_range', { query: '{team=~".+"}', ...range, limit: '1000' }, team);
      expect(lines(all.data)).toEqual(mine);
      // Naming the other team, or a selector any stream matches, finds nothing of it.
      expect((await get('/loki/api/v1/query_range', { query: `{team="${other(team)}"}`, ...range }, team)).data.result).toEqual([]);
      const wide = await get('/loki/api/v1/query_range', { query: '{team!~"nobody|"} |= "line"', ...range, limit: '1000' }, team);
      expect(lines(wide.data)).toEqual(mine);
    });

    it.each(TEAMS)('LogQL metric queries (range and instant) count %s lines only', async (team) => {
      const q = 'sum by (team) (count_over_time({team=~".+"}[20m]))';
      const matrix = await get('/loki/api/v1/query_range', { query: q, ...range, step: '600' }, team);
      expect(matrix.data.result.map((s: { metric: unknown }) => s.metric)).toEqual([{ team }]);
      const vector = await get('/loki/api/v1/query', { query: q, time: ns(NOW_S + 600) }, team);
      expect(vector.data.result).toEqual([{ metric: { team }, value: [NOW_S + 600, '4'] }]);
      const stats = await get('/loki/api/v1/index/stats', { query: '{team=~".+"}', ...range }, team);
      expect(stats.entries).toBe(4);
    });

    it.each(TEAMS)('labels, label values and series show %s its own streams only', async (team) => {
      const names: string[] = (await get('/loki/api/v1/labels', range, team)).data;
      expect(names).toContain(`only_${team}`);
      expect(names).not.toContain(`only_${other(team)}`);
      expect((await get('/loki/api/v1/labels', { ...range, query: '{app="shop"}' }, team)).data).not.toContain(`only_${other(team)}`);
      expect((await get('/loki/api/v1/label/team/values', range, team)).data).toEqual([team]);
      expect((await get('/loki/api/v1/label/app/values', range, team)).data).toEqual(['shop']);
      expect((await get(`/loki/api/v1/label/only_${other(team)}/values`, range, team)).data).toEqual([]);
      const series: Record<string, string>[] = (await get('/loki/api/v1/series', { 'match[]': '{app=~".+"}', ...range }, team)).data;
      expect(series.length).toBe(2);
      for (const s of series) expect(s.team).toBe(team);
    });

    it.each(TEAMS)('event search shows %s its own events, with the fingerprint it sent', async (team) => {
      const from = String((NOW_S - 600) * 1000);
      const page = await get('/api/events', { from }, team);
      expect(page.items.map((e: { message: string; labels: Record<string, string>; fingerprint: string }) => [e.message, e.labels.team, e.fingerprint])).toEqual([[`${team} deployed v1`, team, 'deploy-1']]);
      expect((await get('/api/events', { from, q: other(team) }, team)).items).toEqual([]);
      expect((await get('/api/events', { from, labels: `team=${other(team)}` }, team)).items).toEqual([]);
      expect((await get('/api/events', { from, labels: `{team=~".*"}`, q: 'legacy' }, team)).items).toEqual([]);
    });

    it('a member of both teams reads both (never the lines stored without a team), and cannot write without naming one', async () => {
      const both = async (url: string, query: Record<string, string>) => {
        const r = await app.inject({ method: 'GET', url, query, headers: { 'x-teams': 'red,blue' } });
        expect(r.statusCode, r.body).toBe(200);
        return r.json();
      };
      const all = await both('/loki/api/v1/query_range', { query: '{app=~".+"}', ...range, limit: '1000' });
      expect(lines(all.data).filter((l) => l.line.endsWith('json line') || l.line.startsWith('legacy'))).toEqual([
        { team: 'blue', line: 'blue json line' },
        { team: 'red', line: 'red json line' },
      ]);
      expect((await both('/loki/api/v1/label/team/values', range)).data).toEqual(['blue', 'red']);
      const events = await both('/api/events', { from: String((NOW_S - 600) * 1000) });
      expect(events.items.map((e: { message: string; fingerprint: string | null }) => [e.message, e.fingerprint]).sort()).toEqual([
        ['blue deployed v1', 'deploy-1'],
        ['red deployed v1', 'deploy-1'],
      ]);
      const { scopedLogStore } = await import('../../src/logs/tenant.js');
      await expect(scopedLogStore(store, 'team', ['red', 'blue']).append([{ labels: { app: 'x' }, entries: [{ ts: 1n, line: 'x' }] }] as never)).rejects.toThrow(/exactly one tenant/);
    });

    it('a platform admin acting for no team reads every team and the lines stored without one', async () => {
      const all = await get('/loki/api/v1/query_range', { query: '{app=~".+"}', ...range, limit: '1000' });
      expect(lines(all.data).filter((l) => l.line.endsWith('json line') || l.line.startsWith('legacy'))).toEqual([
        { team: 'blue', line: 'blue json line' },
        { team: undefined, line: 'legacy line' },
        { team: 'red', line: 'red json line' },
      ]);
      expect((await get('/loki/api/v1/label/team/values', range)).data).toEqual(['blue', 'red']);
      const q = 'sum by (team) (count_over_time({team=~".+"}[20m]))';
      const vector = await get('/loki/api/v1/query', { query: q, time: ns(NOW_S + 600) });
      expect(vector.data.result.map((s: { metric: { team: string }; value: unknown[] }) => [s.metric.team, s.value[1]]).sort()).toEqual([['blue', '4'], ['red', '4']]);
      const events = await get('/api/events', { from: String((NOW_S - 600) * 1000) });
      expect(events.items.map((e: { message: string; fingerprint: string | null }) => [e.message, e.fingerprint]).sort()).toEqual([
        ['blue deployed v1', 'blue/deploy-1'],
        ['legacy event', null],
        ['red deployed v1', 'red/deploy-1'],
      ]);
    });
  });
}
