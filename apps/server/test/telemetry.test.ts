import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiDouble, type KubeApiDouble } from '@sreworks/kube-api-double';
import { encodeWriteRequest, snappyEncode } from '@sreworks/telemetry';
import { startTestPlatform, type TestPlatform } from '../src/testing.js';

// Telemetry through the whole platform: a team-scoped token ingests with remote_write and Loki
// push (basic auth with the token as password, as Prometheus and promtail configure it), PromQL
// and LogQL read it back, another team sees nothing, and Kubernetes events of a registered
// cluster arrive in the event store.
let t: TestPlatform;
let kube: KubeApiDouble;
const inject = (o: any) => t.platform.app.inject(o);

beforeAll(async () => {
  kube = await startKubeApiDouble();
  process.env.SREWORKS_KUBE_EVENTS_REFRESH_MS = '200';
  t = await startTestPlatform({ env: { SREWORKS_ROLES: 'api,ingest,worker' } });
  await t.platform.startWorkers();
});
afterAll(async () => {
  delete process.env.SREWORKS_KUBE_EVENTS_REFRESH_MS;
  await t?.dispose();
  await kube?.close();
});

/** A user in a new team (or in the given existing teams) and a telemetry token of theirs. */
async function userToken(name: string, team: string | string[]) {
  await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: name, password: `${name}-password-1` } });
  const teamIds = Array.isArray(team) ? team : [(await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: team } })).json().id];
  for (const id of teamIds) await inject({ method: 'PUT', url: `/api/teams/${id}/members`, headers: t.admin, payload: { username: name, role: 'member' } });
  const teamId = teamIds[0];
  const s = await t.login(name, `${name}-password-1`);
  const tok = (await inject({ method: 'POST', url: '/api/tokens', headers: s, payload: { name: 'ingest', scopes: ['telemetry.*'] } })).json().token;
  return { teamId, basic: { authorization: 'Basic ' + Buffer.from(`${name}:${tok}`).toString('base64') }, bearer: { authorization: `Bearer ${tok}` } };
}

describe('telemetry in the platform', () => {
  it('ingests remote_write and Loki push per team and answers PromQL and LogQL', async () => {
    const a = await userToken('ops-a', 'team-a');
    const b = await userToken('ops-b', 'team-b');
    const now = Date.now();
    const ts = Array.from({ length: 20 }, (_, i) => now - (19 - i) * 15_000);
    const body = snappyEncode(encodeWriteRequest([{ labels: { __name__: 'http_requests_total', job: 'api' }, timestamps: ts, values: ts.map((_, i) => i * 30) }]));
    const w = await inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: { ...a.basic, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, payload: body });
    expect(w.statusCode, w.body).toBe(204);
    const q = await inject({ url: `/prometheus/api/v1/query?query=${encodeURIComponent('rate(http_requests_total[2m])')}&time=${now / 1000}`, headers: a.bearer });
    expect(q.statusCode, q.body).toBe(200);
    expect(q.json().data.result).toHaveLength(1);
    expect(Number(q.json().data.result[0].value[1])).toBeCloseTo(2, 5);
    expect(q.json().data.result[0].metric.team).toBe(a.teamId);
    // the other team sees none of it
    const other = await inject({ url: `/prometheus/api/v1/query?query=http_requests_total&time=${now / 1000}`, headers: b.bearer });
    expect(other.json().data.result).toHaveLength(0);
    // b's series too; a member of both teams reads both without naming one, and cannot write unnamed
    const bw = await inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: { ...b.basic, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, payload: body });
    expect(bw.statusCode, bw.body).toBe(204);
    const ab = await userToken('ops-ab', [a.teamId, b.teamId]);
    const both = await inject({ url: `/prometheus/api/v1/query?query=http_requests_total&time=${now / 1000}`, headers: ab.bearer });
    expect(both.json().data.result.map((r: any) => r.metric.team).sort()).toEqual([a.teamId, b.teamId].sort());
    const justB = await inject({ url: `/prometheus/api/v1/query?query=http_requests_total&time=${now / 1000}`, headers: { ...ab.bearer, 'x-scope-orgid': b.teamId } });
    expect(justB.json().data.result.map((r: any) => r.metric.team)).toEqual([b.teamId]);
    const unnamed = await inject({ method: 'POST', url: '/prometheus/api/v1/write', headers: { ...ab.basic, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, payload: body });
    expect(unnamed.statusCode).toBe(400);

    const push = { streams: [{ stream: { app: 'shop', level: 'error' }, values: [[`${now}000000`, 'payment failed: timeout'], [`${now + 1}000000`, 'payment ok']] }] };
    const p = await inject({ method: 'POST', url: '/loki/api/v1/push', headers: { ...a.basic, 'content-type': 'application/json' }, payload: push });
    expect(p.statusCode, p.body).toBe(204);
    const lq = await inject({ url: `/loki/api/v1/query_range?query=${encodeURIComponent('{app="shop"} |= "failed"')}&start=${now - 60_000}000000&end=${now + 60_000}000000`, headers: a.bearer });
    expect(lq.statusCode, lq.body).toBe(200);
    expect(lq.json().data.result[0].values.map((v: string[]) => v[1])).toEqual(['payment failed: timeout']);

    // anonymous and unscoped calls are refused
    expect((await inject({ method: 'POST', url: '/prometheus/api/v1/write', payload: body, headers: { 'content-type': 'application/x-protobuf' } })).statusCode).toBe(401);
    const noScope = (await inject({ method: 'POST', url: '/api/tokens', headers: t.admin, payload: { name: 'ro', scopes: ['telemetry.read'] } })).json().token;
    expect((await inject({ method: 'POST', url: '/prometheus/api/v1/write', payload: body, headers: { authorization: `Bearer ${noScope}`, 'content-type': 'application/x-protobuf' } })).statusCode).toBe(403);
  });

  it('isolates logs and events per team: tokens, X-Scope-OrgID, label spoofing, admins', async () => {
    const a = await userToken('logs-a', 'logs-team-a');
    const b = await userToken('logs-b', 'logs-team-b');
    const now = Date.now();
    const nsAt = (ms: number) => `${ms}000000`;
    const range = `start=${nsAt(now - 60_000)}&end=${nsAt(now + 60_000)}`;
    const push = (h: Record<string, string>, app: string, claims: string) =>
      inject({ method: 'POST', url: '/loki/api/v1/push', headers: { ...h, 'content-type': 'application/json' }, payload: { streams: [{ stream: { app, team: claims }, values: [[nsAt(now), `${app} line`]] }] } });
    // a claims to be b by stream label: the token's team wins
    expect((await push(a.basic, 'iso-a', b.teamId)).statusCode).toBe(204);
    expect((await push(b.basic, 'iso-b', b.teamId)).statusCode).toBe(204);
    const otlp = { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'iso-otlp' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: nsAt(now), body: { stringValue: 'otlp line of a' } }] }] }] };
    expect((await inject({ method: 'POST', url: '/otlp/v1/logs', headers: { ...a.bearer, 'content-type': 'application/json' }, payload: otlp })).statusCode).toBe(200);
    const bulk = [JSON.stringify({ create: { _index: 'iso-es' } }), JSON.stringify({ '@timestamp': new Date(now).toISOString(), message: 'es line of b' }), ''].join('\n');
    expect((await inject({ method: 'POST', url: '/api/ingest/es/_bulk', headers: { ...b.basic, 'content-type': 'application/x-ndjson' }, payload: bulk })).statusCode).toBe(200);
    for (const [who, h] of [['a', a.bearer], ['b', b.bearer]] as const) {
      const ev = [{ time: now, labels: { app: 'iso', team: b.teamId }, reason: 'Deployed', message: `deployed by ${who}`, fingerprint: 'iso-deploy' }];
      expect((await inject({ method: 'POST', url: '/api/events', headers: { ...h, 'content-type': 'application/json' }, payload: ev })).statusCode).toBe(202);
    }

    const lines = async (h: Record<string, string>) => {
      const r = await inject({ url: `/loki/api/v1/query_range?query=${encodeURIComponent('{team=~".+"} |~ "line"')}&${range}&limit=1000`, headers: h });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().data.result.flatMap((s: any) => s.values.map((v: string[]) => `${s.stream.team === a.teamId ? 'A' : s.stream.team === b.teamId ? 'B' : s.stream.team}: ${v[1]}`)).sort();
    };
    const events = async (h: Record<string, string>) => (await inject({ url: `/api/events?from=${now - 60_000}&labels=app=iso`, headers: h })).json().items.map((e: any) => `${e.message} (${e.fingerprint})`).sort();
    const teamValues = async (h: Record<string, string>) => (await inject({ url: `/loki/api/v1/label/team/values?${range}`, headers: h })).json().data;
    expect(await lines(a.bearer)).toEqual(['A: iso-a line', 'A: otlp line of a']);
    expect(await lines(b.bearer)).toEqual(['B: es line of b', 'B: iso-b line']);
    expect(await events(a.bearer)).toEqual(['deployed by a (iso-deploy)']);
    expect(await events(b.bearer)).toEqual(['deployed by b (iso-deploy)']);
    expect(await teamValues(a.bearer)).toEqual([a.teamId]);
    const metric = await inject({ url: `/loki/api/v1/query?query=${encodeURIComponent('sum(count_over_time({team=~".+"}[5m]))')}&time=${nsAt(now + 1000)}`, headers: b.bearer });
    expect(metric.json().data.result[0].value[1]).toBe('2');
    const series = await inject({ url: `/loki/api/v1/series?match[]=${encodeURIComponent('{app=~"iso-.*"}')}&${range}`, headers: a.bearer });
    expect(series.json().data).toEqual([{ app: 'iso-a', team: a.teamId }]);

    // X-Scope-OrgID names a team only its members (or admins) may act for
    expect((await inject({ url: `/loki/api/v1/labels?${range}`, headers: { ...a.bearer, 'x-scope-orgid': b.teamId } })).statusCode).toBe(403);
    expect((await push({ ...a.basic, 'x-scope-orgid': b.teamId }, 'iso-a', 'x')).statusCode).toBe(403);
    const both = await userToken('logs-ab', [a.teamId, b.teamId]);
    // a member of two teams reads both without the header (Grafana and the console send none),
    // one with it, or both named the Cortex way (a|b); a write must name its one team
    expect(await lines(both.bearer)).toEqual(['A: iso-a line', 'A: otlp line of a', 'B: es line of b', 'B: iso-b line']);
    expect(await teamValues(both.bearer)).toEqual([a.teamId, b.teamId].sort());
    expect(await events(both.bearer)).toEqual(['deployed by a (iso-deploy)', 'deployed by b (iso-deploy)']);
    expect(await lines({ ...both.bearer, 'x-scope-orgid': b.teamId })).toEqual(['B: es line of b', 'B: iso-b line']);
    expect(await lines({ ...both.bearer, 'x-scope-orgid': `${a.teamId}|${b.teamId}` })).toHaveLength(4);
    expect((await inject({ url: `/loki/api/v1/labels?${range}`, headers: { ...a.bearer, 'x-scope-orgid': `${a.teamId}|${b.teamId}` } })).statusCode).toBe(403);
    const unnamed = await push(both.basic, 'iso-ab', 'which team?');
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.code).toBe('TELEMETRY_TENANT');

    // a platform admin reads every team, or one team with X-Scope-OrgID
    const all = await lines(t.admin);
    expect(all).toEqual(expect.arrayContaining(['A: iso-a line', 'A: otlp line of a', 'B: es line of b', 'B: iso-b line']));
    expect(await events(t.admin)).toEqual([`deployed by a (${a.teamId}/iso-deploy)`, `deployed by b (${b.teamId}/iso-deploy)`]);
    expect(await lines({ ...t.admin, 'x-scope-orgid': a.teamId })).toEqual(['A: iso-a line', 'A: otlp line of a']);
  });

  it('collects Kubernetes events from registered clusters', async () => {
    const team = (await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'k8s' } })).json();
    const c = await inject({ method: 'POST', url: '/api/clusters', headers: t.admin, payload: { team: team.id, name: 'double', kind: 'kubernetes', kubeconfig: kube.kubeconfig() } });
    expect(c.statusCode, c.body).toBe(201);
    // the collector refreshes its cluster list (every minute by default; 200 ms here)
    kube.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'api.1', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: 'api-1', namespace: 'shop' }, reason: 'BackOff', message: 'Back-off restarting failed container', type: 'Warning', count: 3, lastTimestamp: new Date().toISOString() });
    let found: any[] = [];
    for (let i = 0; i < 100 && found.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const r = await inject({ url: `/api/events?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}&q=Back-off`, headers: t.admin });
      found = r.json().items ?? [];
    }
    expect(found[0]?.reason).toBe('BackOff');
    expect(found[0]?.labels.cluster).toBe('double');
    // The events belong to the team that owns the cluster: its members see them, others do not.
    expect(found[0]?.labels.team).toBe(team.id);
    const member = await userToken('k8s-member', [team.id]);
    const outsider = await userToken('k8s-outsider', 'not-k8s');
    const search = (h: Record<string, string>) => inject({ url: `/api/events?from=${new Date(Date.now() - 3_600_000).toISOString()}&q=Back-off`, headers: h });
    expect((await search(member.bearer)).json().items.map((e: any) => e.reason)).toEqual(['BackOff']);
    expect((await search(outsider.bearer)).json().items).toEqual([]);
  });
});
