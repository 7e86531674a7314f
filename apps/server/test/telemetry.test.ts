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

async function userToken(name: string, team: string) {
  await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: name, password: `${name}-password-1` } });
  const teamId = (await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: team } })).json().id;
  await inject({ method: 'PUT', url: `/api/teams/${teamId}/members`, headers: t.admin, payload: { username: name, role: 'member' } });
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
  });
});
