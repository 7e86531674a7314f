import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@sreworks/store/testing';
import { hashToken } from '@sreworks/kernel';
import { startTestPlatform, TEST_ADMIN_PASSWORD, type TestPlatform } from '../src/testing.js';

for (const dialect of testDialects()) {
  describe(`identity and scope on ${dialect.name}`, () => {
    let t: TestPlatform;
    const inject = (o: any) => t.platform.app.inject(o);
    beforeAll(async () => {
      t = await startTestPlatform({ dialect });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it('logs in with the session cookie and answers /auth/me', async () => {
      const me = await inject({ url: '/api/auth/me', headers: t.admin });
      expect(me.statusCode).toBe(200);
      expect(me.json().user.username).toBe('admin');
      const bad = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'nope' } });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error.code).toBe('AUTH_BAD_CREDENTIALS');
      expect(bad.body).not.toMatch(/stack|at Object/);
    });

    it('sets an httpOnly SameSite session cookie', async () => {
      const r = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
      const c = (r.cookies as any[]).find((x) => x.name === 'sw_session');
      expect(c.httpOnly).toBe(true);
      expect(String(c.sameSite).toLowerCase()).toBe('lax');
    });

    it('refuses a cookie-authenticated write without the CSRF header', async () => {
      const r = await inject({ method: 'POST', url: '/api/teams', headers: { cookie: t.admin.cookie }, payload: { name: 'csrf-test' } });
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('AUTH_CSRF');
    });

    it('creates users, teams and members; team roles decide what members may do', async () => {
      const u = await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: 'alice', password: 'alice-password-1' } });
      expect(u.statusCode).toBe(201);
      await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: 'bob', password: 'bob-password-12' } });
      const team = await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'payments' } });
      expect(team.statusCode).toBe(201);
      const teamId = team.json().id;
      expect((await inject({ method: 'PUT', url: `/api/teams/${teamId}/members`, headers: t.admin, payload: { username: 'alice', role: 'member' } })).statusCode).toBe(200);
      expect((await inject({ method: 'PUT', url: `/api/teams/${teamId}/members`, headers: t.admin, payload: { username: 'bob', role: 'viewer' } })).statusCode).toBe(200);
      const alice = await t.login('alice', 'alice-password-1');
      const bob = await t.login('bob', 'bob-password-12');

      const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443\nusers:\n- name: u\n  user:\n    token: SUPER-SECRET-TOKEN\n';
      const byBob = await inject({ method: 'POST', url: '/api/clusters', headers: bob, payload: { team: teamId, name: 'prod-1', kind: 'kubernetes', kubeconfig } });
      expect(byBob.statusCode).toBe(403);
      const byAlice = await inject({ method: 'POST', url: '/api/clusters', headers: alice, payload: { team: teamId, name: 'prod-1', kind: 'kubernetes', kubeconfig } });
      expect(byAlice.statusCode).toBe(201);
      expect(byAlice.body).not.toContain('SUPER-SECRET');
      expect(byAlice.json()).toMatchObject({ apiServer: 'https://10.0.0.1:6443', hasKubeconfig: true });
      const row = await t.platform.store.db.selectFrom('scope_cluster').selectAll().where('id', '=', byAlice.json().id).executeTakeFirstOrThrow();
      expect(String(row.kubeconfig_sealed)).not.toContain('SUPER-SECRET');
      expect((await t.platform.ctx.scope.clusterCredentials(row.id)).kubeconfig).toContain('SUPER-SECRET');

      // bob (viewer) reads, cannot delete; outsiders see nothing
      expect((await inject({ url: `/api/clusters/${row.id}`, headers: bob })).statusCode).toBe(200);
      expect((await inject({ method: 'DELETE', url: `/api/clusters/${row.id}`, headers: bob })).statusCode).toBe(403);
      const env = await inject({ method: 'POST', url: '/api/environments', headers: alice, payload: { team: teamId, name: 'prod', cluster: row.id, namespace: 'payments-prod', stage: 'prod' } });
      expect(env.statusCode).toBe(201);
      expect(env.json().clusterName).toBe('prod-1');
      const list = await inject({ url: '/api/environments', headers: bob });
      expect(list.json().items.map((e: any) => e.name)).toEqual(['prod']);
      // the cluster cannot go while an environment uses it
      const del = await inject({ method: 'DELETE', url: `/api/clusters/${row.id}`, headers: t.admin });
      expect(del.statusCode).toBe(409);

      const git = await inject({ method: 'POST', url: '/api/clusters', headers: alice, payload: { team: teamId, name: 'gitops', kind: 'gitops', git: { url: 'https://git.example.com/ops.git', credentials: 'user:pass' } } });
      expect(git.statusCode).toBe(201);
      expect(git.json().git).toEqual({ url: 'https://git.example.com/ops.git', branch: 'main', path: '', hasCredentials: true });
      const noKube = await inject({ method: 'POST', url: '/api/clusters', headers: alice, payload: { team: teamId, name: 'x', kind: 'kubernetes' } });
      expect(noKube.statusCode).toBe(400);
      expect(noKube.json().error.details.field).toBe('body.kubeconfig');
    });

    it('issues API tokens once, stores only their hash, honours scopes, expiry and revocation', async () => {
      const r = await inject({ method: 'POST', url: '/api/tokens', headers: t.admin, payload: { name: 'ci', scopes: ['cluster.read', 'self.*'] } });
      expect(r.statusCode).toBe(201);
      const { token, id } = r.json();
      expect(token).toMatch(/^swt_/);
      const rows = await t.platform.store.db.selectFrom('iam_token').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows.some((x: any) => x.token_hash === hashToken(token))).toBe(true);
      const bearer = { authorization: `Bearer ${token}` };
      expect((await inject({ url: '/api/clusters', headers: bearer })).statusCode).toBe(200);
      const denied = await inject({ url: '/api/users', headers: bearer });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('AUTH_TOKEN_SCOPE');
      // no CSRF needed with a token; basic auth with the token as password works too
      const basic = { authorization: 'Basic ' + Buffer.from(`admin:${token}`).toString('base64') };
      expect((await inject({ url: '/api/clusters', headers: basic })).statusCode).toBe(200);
      const list = await inject({ url: '/api/tokens', headers: t.admin });
      expect(list.body).not.toContain(token);
      expect((await inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: t.admin })).statusCode).toBe(200);
      expect((await inject({ url: '/api/clusters', headers: bearer })).statusCode).toBe(401);

      const past = await inject({ method: 'POST', url: '/api/tokens', headers: t.admin, payload: { name: 'old', scopes: ['*'], expiresAt: '2020-01-01T00:00:00Z' } });
      expect(past.statusCode).toBe(400);
      expect(past.json().error.details.field).toBe('body.expiresAt');
    });

    it('changes a password and ends other sessions', async () => {
      await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: 'carol', password: 'carol-password-1' } });
      const carol = await t.login('carol', 'carol-password-1');
      const wrong = await inject({ method: 'POST', url: '/api/auth/password', headers: carol, payload: { currentPassword: 'x', newPassword: 'carol-password-2' } });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.details.field).toBe('body.currentPassword');
      const short = await inject({ method: 'POST', url: '/api/auth/password', headers: carol, payload: { currentPassword: 'carol-password-1', newPassword: 'short' } });
      expect(short.statusCode).toBe(400);
      expect(short.json().error.details[0].field).toBe('body.newPassword');
      expect((await inject({ method: 'POST', url: '/api/auth/password', headers: carol, payload: { currentPassword: 'carol-password-1', newPassword: 'carol-password-2' } })).statusCode).toBe(200);
      await t.login('carol', 'carol-password-2');
    });

    it('applies membership changes at once to the member\'s cached session', async () => {
      await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: 'dave', password: 'dave-password-1' } });
      const team = (await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'ephemeral' } })).json().id;
      const c = await inject({ method: 'POST', url: '/api/clusters', headers: t.admin, payload: { team, name: 'eph', kind: 'gitops', git: { url: 'https://git.example/e.git' } } });
      const dave = await t.login('dave', 'dave-password-1');
      expect((await inject({ url: `/api/clusters/${c.json().id}`, headers: dave })).statusCode).toBe(403);
      await inject({ method: 'PUT', url: `/api/teams/${team}/members`, headers: t.admin, payload: { username: 'dave', role: 'viewer' } });
      expect((await inject({ url: `/api/clusters/${c.json().id}`, headers: dave })).statusCode).toBe(200);
      const daveId = (await inject({ url: '/api/auth/me', headers: dave })).json().user.id;
      expect((await inject({ method: 'DELETE', url: `/api/teams/${team}/members/${daveId}`, headers: t.admin })).statusCode).toBe(200);
      expect((await inject({ url: `/api/clusters/${c.json().id}`, headers: dave })).statusCode).toBe(403);
    });

    it('writes every mutating call to the audit log, queryable by admins only', async () => {
      const r = await inject({ url: '/api/audit?limit=500', headers: t.admin });
      expect(r.statusCode).toBe(200);
      const actions = r.json().items.map((i: any) => `${i.actor} ${i.action} ${i.outcome}`);
      expect(actions).toContain('admin POST /api/teams 201');
      expect(actions).toContain('bob POST /api/clusters 403');
      expect(actions.some((a: string) => a.includes('POST /api/auth/login 401'))).toBe(true);
      const alice = await t.login('alice', 'alice-password-1');
      expect((await inject({ url: '/api/audit', headers: alice })).statusCode).toBe(403);
      // pagination
      const p1 = await inject({ url: '/api/audit?limit=2', headers: t.admin });
      const p2 = await inject({ url: `/api/audit?limit=2&cursor=${p1.json().nextCursor}`, headers: t.admin });
      expect(p2.json().items[0].id < p1.json().items[1].id).toBe(true);
    });
  });
}

describe('bad input', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t?.dispose();
  });
  const inject = (o: any) => t.platform.app.inject(o);

  it('answers 4xx with a clear error, never 5xx', async () => {
    const cases = [
      { method: 'POST', url: '/api/teams', headers: { ...t.admin, 'content-type': 'application/json' }, payload: '{"name": ' },
      { method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 42 } },
      { method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'ok', extra: true } },
      { method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: "x'; DROP TABLE iam_team; --" } },
      { method: 'POST', url: '/api/teams', headers: { ...t.admin, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'a'.repeat(2_000_000) }) },
      { method: 'POST', url: '/api/teams', headers: { ...t.admin, 'content-type': 'text/plain' }, payload: 'hello' },
      { method: 'GET', url: '/api/users?cursor=not-a-cursor', headers: t.admin },
      { method: 'GET', url: '/api/users?limit=abc', headers: t.admin },
      { method: 'GET', url: "/api/clusters/x'%20OR%201=1--", headers: t.admin },
      { method: 'GET', url: '/api/audit?since=yesterday', headers: t.admin },
    ];
    for (const c of cases) {
      const r = await inject(c);
      expect(r.statusCode, `${c.method} ${c.url} ${String(c.payload).slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
      const e = r.json().error;
      expect(e.code).toBeTruthy();
      expect(e.message).toBeTruthy();
      expect(r.body).not.toMatch(/node_modules|\.ts:\d+/);
    }
    const sqlish = await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: 'robert', password: 'robert-password', displayName: "Robert'); DROP TABLE iam_user;--" } });
    expect(sqlish.statusCode).toBe(201);
    expect(sqlish.json().displayName).toBe("Robert'); DROP TABLE iam_user;--");
  });

  it('names the field in validation errors', async () => {
    const r = await inject({ method: 'POST', url: '/api/environments', headers: t.admin, payload: { team: 't', name: 'Bad Name', cluster: 'c', namespace: 'ns' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].field).toBe('body.name');
    const dup = await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'dup' } });
    expect(dup.statusCode).toBe(201);
    const dup2 = await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'dup' } });
    expect(dup2.statusCode).toBe(409);
    expect(dup2.json().error.details.field).toBe('body.name');
  });

  it('rate-limits failed logins with Retry-After', async () => {
    let last;
    for (let i = 0; i < 12; i++) last = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'wrong' + i } });
    expect(last!.statusCode).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('carries X-Request-Id through', async () => {
    const r = await inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(r.headers['x-request-id']).toBe('abc-123');
    expect((await inject({ url: '/readyz' })).json().status).toBe('ready');
  });
});
