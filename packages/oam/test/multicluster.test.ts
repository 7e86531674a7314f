import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@sreworks/kernel';
import { migrate, type Store } from '@sreworks/store';
import { testDialects } from '@sreworks/store/testing';
import { startKubeApiDouble, type KubeApiDouble } from '@sreworks/kube-api-double';
import { createBuiltinRegistry, createOamEngine, KubernetesTarget, loadDefinitionsDir, oamMigrations, parseApplication, renderApp, RenderEngine, type DeployEnv, type OamEngine, type TargetResolver } from '../src/index.js';
import { TESTDATA } from './fixtures.js';

// Multi-cluster fan-out rendered per cluster: each deploy step places its own copy of the
// components on the clusters its topology selects, with context.cluster set and the step's
// overrides applied (KubeVela: override + topology combine per deploy step).
const CASE = join(TESTDATA, 'multicluster-steps');
const DEFS = loadDefinitionsDir(join(CASE, 'definitions'));
// east and west only (the golden case adds two edge clusters)
const APP = readFileSync(join(CASE, 'app.yaml'), 'utf8').replace(/\n {6}- \{ name: deploy-edge.*\n/, '\n');
const ENV: DeployEnv = { id: 'env-prod', name: 'prod', team: 'team-1', namespace: 'edge-prod', stage: 'prod', clusterId: 'c-east', clusterName: 'east' };

describe('render fans out per cluster', () => {
  let engine: RenderEngine;
  beforeAll(async () => {
    engine = await RenderEngine.create();
  });
  afterAll(() => engine.dispose());

  it('renders one copy per topology cluster of one step, each with its context.cluster', async () => {
    const one = APP.replace('clusters: [east] }', 'clusters: [east, west] }');
    const r = await renderApp(parseApplication(one), { registry: createBuiltinRegistry(DEFS), engine, env: { name: 'deploy-east' } });
    expect(r.placements.map((p) => `${p.step}/${p.cluster}`)).toEqual(['deploy-east/east', 'deploy-east/west']);
    const deps = r.objects.filter((o) => o.object.kind === 'Deployment');
    expect(deps.map((o) => [o.cluster, (o.object as any).spec.template.spec.containers[0].env[0].value, o.object.metadata.labels!['example.com/cluster']])).toEqual([
      ['east', 'east', 'east'],
      ['west', 'west', 'west'],
    ]);
    expect(r.objects.filter((o) => o.object.kind === 'ConfigMap').map((o) => o.object.metadata.name)).toEqual(['gateway-east', 'gateway-west']);
  });

  it('applies each deploy step\'s overrides to that step\'s clusters only', async () => {
    const r = await renderApp(parseApplication(APP), { registry: createBuiltinRegistry(DEFS), engine, env: { cluster: 'east', namespace: 'edge-prod' } });
    expect(r.placements.map((p) => ({ step: p.step, cluster: p.cluster, overrides: p.overrides }))).toEqual([
      { step: 'deploy-east', cluster: 'east', overrides: [] },
      { step: 'deploy-west', cluster: 'west', overrides: ['west-big'] },
    ]);
    const dep = (c: string) => r.objects.find((o) => o.cluster === c && o.object.kind === 'Deployment')!.object as any;
    expect([dep('east').spec.replicas, dep('east').spec.template.spec.containers[0].image, dep('east').metadata.labels.tier]).toEqual([1, 'example/gw:1.0', 'edge']);
    expect([dep('west').spec.replicas, dep('west').spec.template.spec.containers[0].image, dep('west').metadata.labels.tier]).toEqual([3, 'example/gw:1.1', 'edge-west']);
  });
});

for (const dialect of testDialects()) {
  describe(`multi-cluster deployment on ${dialect.name}`, () => {
    let h: Awaited<ReturnType<typeof dialect.open>>;
    let store: Store;
    let east: KubeApiDouble;
    let west: KubeApiDouble;
    let engine: OamEngine;
    beforeAll(async () => {
      h = await dialect.open();
      store = h.store;
      await migrate(store, oamMigrations);
      [east, west] = await Promise.all([startKubeApiDouble({ controllers: { readyAfterMs: 50, pods: false } }), startKubeApiDouble({ controllers: { readyAfterMs: 50, pods: false } })]);
      const doubles: Record<string, KubeApiDouble> = { east, west };
      const resolver: TargetResolver = {
        environment: async () => ENV,
        target: async (_env, opts) => {
          const name = opts.clusterName ?? 'east';
          const d = doubles[name];
          if (!d) throw new InputError(`the topology names cluster "${name}", which is not registered in this team`, { field: 'policies.topology.clusters' }, 'OAM_CLUSTER_NOT_FOUND');
          return new KubernetesTarget({ kubeconfig: d.kubeconfig(), cluster: name });
        },
      };
      engine = await createOamEngine({ store, targets: resolver, pollMs: 50, healthTimeoutMs: 10_000 });
      for (const d of DEFS) await engine.registry.put(d);
      engine.executor.start();
    });
    afterAll(async () => {
      await engine?.close();
      await Promise.all([east?.close(), west?.close()]);
      await h?.dispose();
    });

    it('deploys each cluster its own copy and reports status per step and cluster', async () => {
      const a = await engine.apps.createApp('team-1', APP);
      const d = await engine.apps.deploy(a.id, ENV.id);
      let st = await engine.apps.deploymentStatus(d.id);
      for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(st.deployment.status); i++) {
        await new Promise((r) => setTimeout(r, 50));
        st = await engine.apps.deploymentStatus(d.id);
      }
      expect(st.deployment.status, st.deployment.message ?? '').toBe('succeeded');
      const onEast = east.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'edge-prod', name: 'gateway' })!;
      const onWest = west.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'edge-prod', name: 'gateway' })!;
      expect([onEast.spec.replicas, onEast.spec.template.spec.containers[0].image, onEast.spec.template.spec.containers[0].env[0].value]).toEqual([1, 'example/gw:1.0', 'east']);
      expect([onWest.spec.replicas, onWest.spec.template.spec.containers[0].image, onWest.spec.template.spec.containers[0].env[0].value]).toEqual([3, 'example/gw:1.1', 'west']);
      // each cluster holds only its own copy
      expect(east.list('v1', 'ConfigMap', 'edge-prod').map((c) => c.metadata.name).filter((n) => !n.startsWith('sreworks-inventory'))).toEqual(['gateway-east']);
      expect(west.list('v1', 'ConfigMap', 'edge-prod').map((c) => c.metadata.name).filter((n) => !n.startsWith('sreworks-inventory'))).toEqual(['gateway-west']);
      // the status tree has one node per (component, step), naming the cluster
      const nodes = Object.fromEntries(st.nodes.map((n) => [n.id, n]));
      expect(nodes['component:gateway@deploy-east']).toMatchObject({ status: 'succeeded', name: 'gateway@deploy-east' });
      expect(nodes['component:gateway@deploy-west'].message).toMatch(/^west: /);
      expect(nodes['component:gateway@deploy-west'].objects.every((o: any) => o.cluster === 'west')).toBe(true);
      expect(nodes['component:gateway']).toBeUndefined();
      // the revision keeps both copies, told apart in diffs
      const rev = await engine.apps.getRevision(a.id, 1);
      expect(rev.objects.filter((o) => o.object.kind === 'Deployment').map((o) => `${o.step}/${o.cluster}`)).toEqual(['deploy-east/east', 'deploy-west/west']);
      const diff = await engine.apps.diffRevisions(a.id, 1, 1);
      const depKeys = diff.objects.filter((o) => o.key.includes('Deployment')).map((o) => o.key.split('/').slice(0, 2).join('/'));
      expect(depKeys.sort()).toEqual(['deploy-east/east', 'deploy-west/west']);
    });

    it('holds the next step\'s clusters behind a suspend step until resumed', async () => {
      const spec = APP.replace('name: edge\n', 'name: edge-gated\n').replace('      - { name: deploy-west', '      - { name: approve, type: suspend }\n      - { name: deploy-west').replace(/name: gateway\n/, 'name: gated\n').replaceAll('- name: gateway\n', '- name: gated\n');
      const a = await engine.apps.createApp('team-1', spec);
      const d = await engine.apps.deploy(a.id, ENV.id);
      const wait = async (want: string[]) => {
        for (let i = 0; i < 200; i++) {
          const x = await engine.apps.getDeployment(d.id);
          if (want.includes(x.status)) return x;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('deployment did not settle');
      };
      expect((await wait(['suspended', 'failed', 'succeeded'])).status).toBe('suspended');
      expect(east.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'edge-prod', name: 'gated' })).toBeDefined();
      expect(west.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'edge-prod', name: 'gated' })).toBeUndefined();
      await engine.apps.resume(d.id);
      expect((await wait(['succeeded', 'failed'])).status).toBe('succeeded');
      expect(west.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'edge-prod', name: 'gated' })?.spec.replicas).toBe(3);
    });

    it('refuses a topology cluster the team does not have before anything changes', async () => {
      const spec = readFileSync(join(CASE, 'app.yaml'), 'utf8').replace('name: edge\n', 'name: edge-bad\n');
      const a = await engine.apps.createApp('team-1', spec);
      await expect(engine.apps.deploy(a.id, ENV.id)).rejects.toMatchObject({ code: 'OAM_CLUSTER_NOT_FOUND', message: expect.stringContaining('edge-1') });
      expect(await engine.apps.listRevisions(a.id)).toEqual([]);
    });
  });
}
