import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiDouble, type KubeApiDouble } from '@sreworks/kube-api-double';
import { startTestPlatform, type TestPlatform } from '../src/testing.js';

// Build secrets through the platform API: write-only, sealed at rest, team-scoped, mounted into
// the kaniko Job on the build cluster (the API double) and removed from it after the build.
let t: TestPlatform;
let kube: KubeApiDouble;
const inject = (o: any) => t.platform.app.inject(o);
const GIT_TOKEN = 'ghp_SUPERSECRETGITTOKEN';
const REG_PASSWORD = 'REGISTRY-PASSWORD-42';
const APP = `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop }
spec:
  components:
    - { name: api, type: webservice, properties: { image: nginx:1.27 } }
`;

beforeAll(async () => {
  kube = await startKubeApiDouble({ controllers: { jobAfterMs: 150, pods: false } });
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.dispose();
  await kube?.close();
});

describe('OAM build secrets API', () => {
  it('keeps secrets write-only and sealed, scoped to the team, and mounts them into the build Job', async () => {
    const team = (await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'builders' } })).json();
    const other = (await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'others' } })).json();

    // bad input names the field, never 5xx
    const noPw = await inject({ method: 'PUT', url: `/api/oam/build-secrets/${team.id}/registry-push`, headers: t.admin, payload: { kind: 'registry', data: { username: 'ci' } } });
    expect(noPw.statusCode).toBe(400);
    expect(noPw.json().error.details.field).toBe('body.data.password');
    const badCfg = await inject({ method: 'PUT', url: `/api/oam/build-secrets/${team.id}/registry-push`, headers: t.admin, payload: { kind: 'registry', data: { dockerconfigjson: '{"nope":1}' } } });
    expect(badCfg.statusCode).toBe(400);
    expect(badCfg.json().error.code).toBe('OAM_BUILD_SECRET');
    expect((await inject({ method: 'PUT', url: `/api/oam/build-secrets/${team.id}/Bad_Name`, headers: t.admin, payload: { kind: 'git', data: { token: 'x' } } })).statusCode).toBe(400);

    const reg = await inject({ method: 'PUT', url: `/api/oam/build-secrets/${team.id}/registry-push`, headers: t.admin, payload: { kind: 'registry', data: { registry: 'registry.example.com', username: 'ci', password: REG_PASSWORD } } });
    expect(reg.statusCode, reg.body).toBe(200);
    expect(reg.json()).toMatchObject({ team: team.id, name: 'registry-push', kind: 'registry', fields: ['password', 'registry', 'username'], updatedBy: 'admin' });
    const git = await inject({ method: 'PUT', url: `/api/oam/build-secrets/${team.id}/git-token`, headers: t.admin, payload: { kind: 'git', data: { token: GIT_TOKEN } } });
    expect(git.statusCode, git.body).toBe(200);
    expect(git.body).not.toContain(GIT_TOKEN);
    const list = await inject({ url: `/api/oam/build-secrets?team=${team.id}`, headers: t.admin });
    expect(list.json().items.map((s: any) => s.name)).toEqual(['git-token', 'registry-push']);
    expect(list.body).not.toContain(GIT_TOKEN);
    expect(list.body).not.toContain(REG_PASSWORD);

    // sealed at rest
    const rows = await t.platform.store.db.selectFrom('oam_build_secret').selectAll().execute();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(String(r.value_sealed)).toMatch(/^sealed:v1:/);
      expect(String(r.value_sealed)).not.toContain(GIT_TOKEN);
      expect(String(r.value_sealed)).not.toContain(REG_PASSWORD);
    }

    // team scope: a member of another team neither sees nor writes them
    await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: 'eve', password: 'eve-password-123' } });
    await inject({ method: 'PUT', url: `/api/teams/${other.id}/members`, headers: t.admin, payload: { username: 'eve', role: 'admin' } });
    const eve = await t.login('eve', 'eve-password-123');
    expect((await inject({ url: `/api/oam/build-secrets?team=${team.id}`, headers: eve })).statusCode).toBe(403);
    expect((await inject({ url: '/api/oam/build-secrets', headers: eve })).json().items).toEqual([]);
    expect((await inject({ method: 'PUT', url: `/api/oam/build-secrets/${team.id}/git-token`, headers: eve, payload: { kind: 'git', data: { token: 'stolen' } } })).statusCode).toBe(403);
    expect((await inject({ method: 'DELETE', url: `/api/oam/build-secrets/${team.id}/git-token`, headers: eve })).statusCode).toBe(403);

    // a build naming them: the Job on the build cluster mounts them as Kubernetes Secrets
    const cluster = (await inject({ method: 'POST', url: '/api/clusters', headers: t.admin, payload: { team: team.id, name: 'builder', kind: 'kubernetes', kubeconfig: kube.kubeconfig() } })).json();
    const env = (await inject({ method: 'POST', url: '/api/environments', headers: t.admin, payload: { team: team.id, name: 'ci', cluster: cluster.id, namespace: 'ci-builds' } })).json();
    const app = (await inject({ method: 'POST', url: '/api/oam/apps', headers: t.admin, payload: { team: team.id, spec: APP } })).json();
    const spec = { name: 'api', git: { url: 'https://git.example.com/team/api.git', credentialsSecret: 'git-token' }, image: 'registry.example.com/team/api:2.0.0', pushSecret: 'registry-push' };
    const missing = await inject({ method: 'POST', url: `/api/oam/apps/${app.id}/builds`, headers: t.admin, payload: { component: 'api', env: env.id, build: { ...spec, pushSecret: 'nope' } } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.field).toBe('build.pushSecret');

    let jobSeen: any;
    let secretsSeen: any[] = [];
    const unsub = kube.store.subscribe((ev) => {
      if (ev.obj.kind === 'Job' && ev.type === 'ADDED') {
        jobSeen = ev.obj;
        secretsSeen = kube.list('v1', 'Secret', 'ci-builds');
      }
    });
    const started = await inject({ method: 'POST', url: `/api/oam/apps/${app.id}/builds`, headers: t.admin, payload: { component: 'api', env: env.id, build: spec } });
    expect(started.statusCode, started.body).toBe(202);
    let b: any;
    for (let i = 0; i < 200; i++) {
      b = (await inject({ url: `/api/oam/builds/${started.json().id}`, headers: t.admin })).json();
      if (!['pending', 'running'].includes(b.status)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    unsub();
    expect(b.status, b.message).toBe('succeeded');
    expect(JSON.stringify(b)).not.toContain(GIT_TOKEN);

    const c = jobSeen.spec.template.spec;
    const docker = secretsSeen.find((s) => s.type === 'kubernetes.io/dockerconfigjson');
    const gitSecret = secretsSeen.find((s) => s.metadata.name.endsWith('-git'));
    expect(c.volumes).toEqual([{ name: 'docker-config', secret: { secretName: docker.metadata.name, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }]);
    expect(c.containers[0].volumeMounts).toEqual([{ name: 'docker-config', mountPath: '/kaniko/.docker', readOnly: true }]);
    expect(c.containers[0].env).toEqual([
      { name: 'GIT_USERNAME', valueFrom: { secretKeyRef: { name: gitSecret.metadata.name, key: 'username' } } },
      { name: 'GIT_PASSWORD', valueFrom: { secretKeyRef: { name: gitSecret.metadata.name, key: 'password' } } },
    ]);
    // credentials travel only inside Secrets, never in the Job's args
    expect(JSON.stringify(jobSeen)).not.toContain(GIT_TOKEN);
    expect(Buffer.from(gitSecret.data.password, 'base64').toString()).toBe(GIT_TOKEN);
    const cfg = JSON.parse(Buffer.from(docker.data['.dockerconfigjson'], 'base64').toString());
    expect(cfg.auths['registry.example.com'].auth).toBe(Buffer.from(`ci:${REG_PASSWORD}`).toString('base64'));
    // and leave the build cluster with the build
    expect(kube.list('v1', 'Secret', 'ci-builds').filter((s) => s.metadata.name.startsWith('build-api-'))).toEqual([]);

    // delete; a build naming it no longer starts
    expect((await inject({ method: 'DELETE', url: `/api/oam/build-secrets/${team.id}/git-token`, headers: t.admin })).statusCode).toBe(200);
    expect((await inject({ method: 'DELETE', url: `/api/oam/build-secrets/${team.id}/git-token`, headers: t.admin })).statusCode).toBe(404);
    const gone = await inject({ method: 'POST', url: `/api/oam/apps/${app.id}/builds`, headers: t.admin, payload: { component: 'api', env: env.id, build: spec } });
    expect(gone.statusCode).toBe(400);
    expect(gone.json().error.details.field).toBe('build.git.credentialsSecret');

    // audited without values
    const audit = await t.platform.store.db.selectFrom('audit_log').selectAll().where('permission', 'like', 'build-secret.%').execute();
    expect(audit.map((a) => a.target)).toEqual(expect.arrayContaining([`build-secret/${team.id}/git-token`, `build-secret/${team.id}/registry-push`]));
    expect(JSON.stringify(audit)).not.toContain(GIT_TOKEN);
  });
});
