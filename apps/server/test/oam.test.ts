import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../src/testing.js';
import { fixturePath } from '../../../packages/oam/test/fixtures.js';

// The AppManager through the platform API: a GitOps environment backed by a real bare git
// repository, an app created from YAML, deployed, its status tree, revisions and rollback.
let t: TestPlatform;
const dir = mkdtempSync(join(tmpdir(), 'sw-oam-api-'));
const repo = join(dir, 'ops.git');
const inject = (o: any) => t.platform.app.inject(o);
const spec = (image: string) => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop }
spec:
  components:
    - name: api
      type: webservice
      properties: { image: ${image}, ports: [{ port: 8080, expose: true }] }
      traits: [{ type: scaler, properties: { replicas: 2 } }]
`;

beforeAll(async () => {
  execFileSync('git', ['init', '--bare', '-q', '-b', 'main', repo]);
  t = await startTestPlatform();
  await t.platform.startWorkers();
});
afterAll(async () => {
  await t?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function until(id: string, done: string[]) {
  for (let i = 0; i < 200; i++) {
    const r = await inject({ url: `/api/oam/deployments/${id}`, headers: t.admin });
    if (done.includes(r.json().deployment.status)) return r.json();
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('deployment did not finish');
}

describe('OAM API', () => {
  it('creates, deploys to a GitOps repository, reports status, diffs and rolls back', async () => {
    const team = (await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'shop' } })).json();
    const cluster = (await inject({ method: 'POST', url: '/api/clusters', headers: t.admin, payload: { team: team.id, name: 'gitops', kind: 'gitops', git: { url: `file://${repo}`, branch: 'main' } } })).json();
    const env = (await inject({ method: 'POST', url: '/api/environments', headers: t.admin, payload: { team: team.id, name: 'dev', cluster: cluster.id, namespace: 'shop-dev' } })).json();

    const bad = await inject({ method: 'POST', url: '/api/oam/apps', headers: t.admin, payload: { team: team.id, spec: spec('nginx').replace('webservice', 'no-such') } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/no-such/);

    const created = await inject({ method: 'POST', url: '/api/oam/apps', headers: t.admin, payload: { team: team.id, spec: spec('nginx:1.27') } });
    expect(created.statusCode).toBe(201);
    const appId = created.json().id;
    const rendered = await inject({ method: 'POST', url: `/api/oam/apps/${appId}/render`, headers: t.admin, payload: { env: env.id } });
    expect(rendered.json().objects.map((o: any) => o.object.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service']));

    const d1 = await inject({ method: 'POST', url: `/api/oam/apps/${appId}/deployments`, headers: t.admin, payload: { env: env.id } });
    expect(d1.statusCode).toBe(202);
    const s1 = await until(d1.json().id, ['succeeded', 'failed']);
    expect(s1.deployment.status, s1.deployment.message).toBe('succeeded');
    expect(s1.nodes.find((n: any) => n.id === 'component:api').status).toBe('succeeded');
    const files = execFileSync('git', ['--git-dir', repo, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' });
    expect(files).toMatch(/deployment.*api/);

    await inject({ method: 'PUT', url: `/api/oam/apps/${appId}`, headers: t.admin, payload: { spec: spec('nginx:1.28') } });
    const d2 = await inject({ method: 'POST', url: `/api/oam/apps/${appId}/deployments`, headers: t.admin, payload: { env: env.id } });
    expect((await until(d2.json().id, ['succeeded', 'failed'])).deployment.status).toBe('succeeded');
    const diff = (await inject({ url: `/api/oam/apps/${appId}/diff?from=1&to=2`, headers: t.admin })).json();
    expect(diff.objects.find((o: any) => o.change === 'changed').diff).toContain('nginx:1.28');

    const rb = await inject({ method: 'POST', url: `/api/oam/apps/${appId}/rollback`, headers: t.admin, payload: { revision: 1 } });
    expect(rb.statusCode).toBe(202);
    expect((await until(rb.json().id, ['succeeded', 'failed'])).deployment.status).toBe('succeeded');
    const head = execFileSync('git', ['--git-dir', repo, 'log', '-1', '--format=%s', 'main'], { encoding: 'utf8' });
    expect(head).toMatch(/v1|shop/);

    const revs = (await inject({ url: `/api/oam/apps/${appId}/revisions`, headers: t.admin })).json();
    expect(revs.items.map((r: any) => r.number)).toEqual([2, 1]);
    const defs = (await inject({ url: '/api/oam/definitions?kind=trait', headers: t.admin })).json();
    expect(defs.items.map((d: any) => d.name)).toEqual(expect.arrayContaining(['scaler', 'gateway', 'hpa']));
  });

  it('deploys a SREWorks app whose topology names the "master" cluster to the environment\'s own cluster', async () => {
    const team = (await inject({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { name: 'sreworks-fixture' } })).json();
    const cluster = (await inject({ method: 'POST', url: '/api/clusters', headers: t.admin, payload: { team: team.id, name: 'gitops-sw', kind: 'gitops', git: { url: `file://${repo}`, branch: 'main' } } })).json();
    const env = (await inject({ method: 'POST', url: '/api/environments', headers: t.admin, payload: { team: team.id, name: 'sw', cluster: cluster.id, namespace: 'default' } })).json();
    const yaml = readFileSync(fixturePath('sreworks', 'application_configuration', 'e2e_workflow_microservice.yaml'), 'utf8');
    const created = await inject({ method: 'POST', url: '/api/oam/apps', headers: t.admin, payload: { team: team.id, spec: yaml } });
    expect(created.statusCode, created.body).toBe(201);
    const d = await inject({ method: 'POST', url: `/api/oam/apps/${created.json().id}/deployments`, headers: t.admin, payload: { env: env.id } });
    expect(d.statusCode, d.body).toBe(202);
    // deploy-local-1, then the approval step holds the second deploy step
    const held = await until(d.json().id, ['suspended', 'succeeded', 'failed']);
    expect(held.deployment.status, held.deployment.message).toBe('suspended');
    expect((await inject({ method: 'POST', url: `/api/oam/deployments/${d.json().id}/resume`, headers: t.admin })).statusCode).toBe(200);
    const done = await until(d.json().id, ['succeeded', 'failed']);
    expect(done.deployment.status, done.deployment.message).toBe('succeeded');
    // a cluster name the team does not have (and that is not the control plane) is refused
    const other = await inject({ method: 'POST', url: '/api/oam/apps', headers: t.admin, payload: { team: team.id, spec: yaml.replace(/cluster: "master"/g, 'cluster: "edge-9"').replace('appId: testapp', 'appId: otherapp') } });
    const refused = await inject({ method: 'POST', url: `/api/oam/apps/${other.json().id}/deployments`, headers: t.admin, payload: { env: env.id } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('OAM_CLUSTER_NOT_FOUND');
  });

  it('imports a plugin archive of several megabytes (above the 1 MiB default body limit)', async () => {
    const p = mkdtempSync(join(tmpdir(), 'sw-plugin-big-'));
    mkdirSync(join(p, 'definitions'));
    mkdirSync(join(p, 'forms', 'bulky'), { recursive: true });
    writeFileSync(join(p, 'definitions', 'bulky.yaml'), 'apiVersion: core.oam.dev/v1beta1\nkind: TraitDefinition\nmetadata: { name: bulky }\nspec:\n  version: 1.0.0\n  schematic:\n    javascript:\n      file: bulky.js\n');
    writeFileSync(join(p, 'definitions', 'bulky.js'), 'export function render() { return { patch: { metadata: { labels: { bulky: "yes" } } } }; }');
    // incompressible console form assets: the archive stays about 3 MB
    writeFileSync(join(p, 'forms', 'bulky', 'assets.json'), JSON.stringify({ blob: randomBytes(2_200_000).toString('base64') }));
    execFileSync('tar', ['-czf', join(p, 'bulky.tgz'), '-C', p, 'definitions', 'forms']);
    const archive = readFileSync(join(p, 'bulky.tgz')).toString('base64');
    rmSync(p, { recursive: true, force: true });
    expect(archive.length).toBeGreaterThan(2 * 1024 * 1024);
    const r = await inject({ method: 'POST', url: '/api/oam/plugins', headers: t.admin, payload: { name: 'bulky.tgz', archive } });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(JSON.stringify(r.json())).toContain('bulky');
  });

  it('lets platform admins add and disable definitions at run time, and nobody else', async () => {
    await inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: 'dev1', password: 'dev1-password-1' } });
    const dev = await t.login('dev1', 'dev1-password-1');
    const yaml = `apiVersion: core.oam.dev/v1beta1
kind: TraitDefinition
metadata: { name: team-label }
spec:
  version: 1.0.0
  appliesToWorkloads: ['*']
  schematic:
    javascript:
      parameter: { type: object, properties: { team: { type: string } }, required: [team] }
      template: |
        export function render({ parameter }) {
          return { patch: { metadata: { labels: { team: parameter.team } } } };
        }
`;
    expect((await inject({ method: 'POST', url: '/api/oam/definitions', headers: dev, payload: { yaml } })).statusCode).toBe(403);
    const add = await inject({ method: 'POST', url: '/api/oam/definitions', headers: t.admin, payload: { yaml } });
    expect(add.statusCode, add.body).toBe(200);
    const r = await inject({ method: 'POST', url: '/api/oam/render', headers: t.admin, payload: { spec: spec('nginx').replace('traits: [', 'traits: [{ type: team-label, properties: { team: blue } }, ') } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().objects.find((o: any) => o.object.kind === 'Deployment').object.metadata.labels.team).toBe('blue');
    expect((await inject({ method: 'POST', url: '/api/oam/definitions/trait/team-label/disable', headers: t.admin })).statusCode).toBe(200);
    const off = await inject({ method: 'POST', url: '/api/oam/render', headers: t.admin, payload: { spec: spec('nginx').replace('traits: [', 'traits: [{ type: team-label, properties: { team: blue } }, ') } });
    expect(off.statusCode).toBe(400);
    expect(off.json().error.code).toBe('OAM_DEF_DISABLED');
  });
});
