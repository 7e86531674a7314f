import { describe, expect, it } from 'vitest';
import { testDialects } from '@sreworks/store/testing';
import type { DeployEnv, OamEngine } from '../src/index.js';
import { engineOnDouble } from './engine-harness.js';

const ENV: DeployEnv = { id: 'env-dev', name: 'dev', team: 'team-1', namespace: 'shop-dev', stage: 'dev', clusterId: 'c1', clusterName: 'double' };

const app = (withCache: boolean, image = 'nginx:1.27') => `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop }
spec:
  components:
    - name: db
      type: webservice
      properties: { image: postgres:16, ports: [{ port: 5432, expose: true }] }
    - name: api
      type: webservice
      dependsOn: [db]
      properties: { image: ${image}, ports: [{ port: 8080, expose: true }] }
      traits:
        - type: scaler
          properties: { replicas: 2 }
        - type: labels
          properties: { tier: backend }
    - name: web
      type: webservice
      dependsOn: [api]
      properties: { image: nginx:1.27, ports: [{ port: 80, expose: true }] }
${withCache ? `    - name: cache
      type: webservice
      properties: { image: redis:7 }
` : ''}`;

async function waitFor(engine: OamEngine, id: string, statuses: string[], ms = 20_000) {
  const t0 = Date.now();
  for (;;) {
    const d = await engine.apps.getDeployment(id);
    if (statuses.includes(d.status)) return d;
    if (Date.now() - t0 > ms) throw new Error(`deployment stayed ${d.status}: ${d.message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const dialect of testDialects()) {
  describe(`deployment engine on ${dialect.name}`, () => {
    const hs = engineOnDouble(dialect, ENV, { readyAfterMs: 150, jobAfterMs: 80, pods: false });
    const open = (healthTimeoutMs = 10_000) => hs.open({ pollMs: 100, healthTimeoutMs, leaseMs: 2_000 });

    it('deploys a dependsOn chain in order, reports healthy, garbage-collects only after success, and rolls back', async () => {
      const engine = await open();
      engine.executor.start();
      const a = await engine.apps.createApp('team-1', app(true));
      const d1 = await engine.apps.deploy(a.id, ENV.id, { actor: 'alice' });
      const done1 = await waitFor(engine, d1.id, ['succeeded', 'failed']);
      expect(done1.status, done1.message ?? '').toBe('succeeded');
      const st = await engine.apps.deploymentStatus(d1.id);
      const started = (n: string) => st.nodes.find((x) => x.id === `component:${n}`)!;
      // dependsOn honoured: db finished before api started, api before web
      expect(started('db').finishedAt! <= started('api').startedAt!).toBe(true);
      expect(started('api').finishedAt! <= started('web').startedAt!).toBe(true);
      expect(st.nodes.filter((n) => n.kind === 'component').every((n) => n.status === 'succeeded')).toBe(true);
      expect(hs.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-dev', name: 'api' })?.spec?.replicas).toBe(2);
      expect(hs.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-dev', name: 'cache' })).toBeDefined();

      // revision 2 drops the cache component and changes the api image
      await engine.apps.updateApp(a.id, app(false, 'nginx:1.28'));
      const d2 = await engine.apps.deploy(a.id, ENV.id);
      expect((await waitFor(engine, d2.id, ['succeeded', 'failed'])).status).toBe('succeeded');
      expect(hs.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-dev', name: 'cache' })).toBeUndefined();
      const diff = await engine.apps.diffRevisions(a.id, 1, 2);
      expect(diff.objects.find((o) => o.key.includes('Deployment') && o.key.includes('cache'))?.change).toBe('removed');
      expect(diff.objects.find((o) => o.key.includes('Deployment') && o.key.endsWith('api'))?.diff).toContain('nginx:1.28');

      // roll back to revision 1: the cache returns, the old image is back
      const rb = await engine.apps.rollback(a.id, 1, ENV.id);
      expect((await waitFor(engine, rb.id, ['succeeded', 'failed'])).status).toBe('succeeded');
      const api = hs.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-dev', name: 'api' });
      expect(JSON.stringify(api?.spec)).toContain('nginx:1.27');
      expect(hs.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-dev', name: 'cache' })).toBeDefined();
      await engine.close();
    });

    it('a failed deployment collects nothing and says why', async () => {
      const engine = await open(1500);
      engine.executor.start();
      const a = await engine.apps.createApp('team-1', app(true).replace('name: shop', 'name: shop-fail'));
      const ok = await engine.apps.deploy(a.id, ENV.id);
      expect((await waitFor(engine, ok.id, ['succeeded', 'failed'])).status).toBe('succeeded');
      // the next revision removes cache but api's rollout never finishes
      await engine.apps.updateApp(a.id, app(false, 'registry.invalid/api:broken').replace('name: shop', 'name: shop-fail'));
      const bad = await engine.apps.deploy(a.id, ENV.id);
      const res = await waitFor(engine, bad.id, ['succeeded', 'failed'], 30_000);
      expect(res.status).toBe('failed');
      expect(res.message).toMatch(/nothing was garbage-collected/);
      expect(res.message).toMatch(/api/);
      expect(hs.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-dev', name: 'cache' })).toBeDefined();
      await engine.close();
    }, 40_000);

    it('survives a restart mid-way and resumes where it stopped', async () => {
      const first = await open();
      const a = await first.apps.createApp('team-1', app(false).replace('name: shop', 'name: shop-restart'));
      const d = await first.apps.deploy(a.id, ENV.id);
      first.executor.start();
      // stop the first engine once the first component is done
      for (let i = 0; i < 200; i++) {
        const st = await first.apps.deploymentStatus(d.id);
        if (st.nodes.some((n) => n.status === 'succeeded' && n.kind === 'component')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await first.close();
      const mid = await first.apps.getDeployment(d.id);
      expect(['running', 'pending', 'succeeded']).toContain(mid.status);
      const second = await open();
      second.executor.start();
      const res = await waitFor(second, d.id, ['succeeded', 'failed']);
      expect(res.status, res.message ?? '').toBe('succeeded');
      const st = await second.apps.deploymentStatus(d.id);
      expect(st.events.some((e) => /resuming/.test(e.message))).toBe(mid.status !== 'succeeded');
      await second.close();
    });

    it('holds at a suspend step until resumed', async () => {
      const engine = await open();
      engine.executor.start();
      const spec = `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: gated }
spec:
  components:
    - name: one
      type: webservice
      properties: { image: nginx:1.27 }
    - name: two
      type: webservice
      properties: { image: nginx:1.27 }
  workflow:
    steps:
      - { name: first, type: apply-component, properties: { component: one } }
      - { name: approve, type: suspend }
      - { name: second, type: apply-component, properties: { component: two } }
`;
      const a = await engine.apps.createApp('team-1', spec);
      const d = await engine.apps.deploy(a.id, ENV.id);
      const held = await waitFor(engine, d.id, ['suspended', 'failed', 'succeeded']);
      expect(held.status, held.message ?? '').toBe('suspended');
      expect(hs.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-dev', name: 'two' })).toBeUndefined();
      await engine.apps.resume(d.id);
      expect((await waitFor(engine, d.id, ['succeeded', 'failed'])).status).toBe('succeeded');
      expect(hs.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-dev', name: 'two' })).toBeDefined();
      await engine.close();
    });

    it('builds a component image with kaniko on the environment cluster and records the digest', async () => {
      const engine = await open();
      const a = await engine.apps.createApp('team-1', app(false).replace('name: shop', 'name: shop-build'));
      const b = await engine.apps.getApp(a.id);
      const build = await engine.builds.start(b.id, { component: 'api', env: ENV.id, build: { name: 'api', git: { url: 'https://git.example.com/team/api.git' }, image: 'registry.example.com/team/api:1.0.0' } }, 'alice');
      expect(build.status).toBe('pending');
      await engine.builds.idle();
      const done = await engine.builds.get(build.id);
      expect(done.status, done.message ?? '').toBe('succeeded');
      expect(done.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(done.image).toBe(`registry.example.com/team/api@${done.digest}`);
      await expect(engine.builds.start(b.id, { component: 'nope', env: ENV.id, build: {} })).rejects.toThrow(/no component "nope"/);
      await expect(engine.builds.start(b.id, { component: 'api', env: ENV.id, build: { name: 'api', git: { url: 'ftp://x' }, image: 'x/y:1' } })).rejects.toThrow(/git/);
      await engine.close();
    });

    it('refuses bad input before anything changes', async () => {
      const engine = await open();
      await expect(engine.apps.createApp('team-1', app(false).replace('type: webservice', 'type: no-such-type'))).rejects.toThrow(/no-such-type/);
      await expect(engine.apps.createApp('team-1', 'kind: Nope')).rejects.toThrow();
      const cyc = `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: cyc }
spec:
  components:
    - { name: a, type: webservice, dependsOn: [b], properties: { image: x } }
    - { name: b, type: webservice, dependsOn: [a], properties: { image: x } }
`;
      await expect(engine.apps.createApp('team-1', cyc)).rejects.toThrow(/a -> b -> a|b -> a -> b/);
      await engine.close();
    });
  });
}
