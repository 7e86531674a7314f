import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommonCrds, startKubeApiDouble, type KubeApiDouble } from '@sreworks/kube-api-double';
import { KubernetesTarget, type K8sObject } from '../src/targets/index.js';
import { conflictNamesManager, configMap, deployment, gcKeepsPvcAndShared, liveDiffShowsChanges, rolloutNeverFinishes, scope, service, threeObjectRollout, type ScenarioEnv } from './targets.scenarios.js';

let d: KubeApiDouble;
let env: ScenarioEnv;
let n = 0;

beforeAll(async () => {
  d = await startKubeApiDouble({ controllers: { readyAfterMs: 100, jobAfterMs: 50, pvcBindAfterMs: 20 } });
  env = {
    kubeconfig: d.kubeconfig(),
    namespace: () => `t${++n}`,
    stall: (dep) => {
      d.faults.stallRollout(dep.metadata.namespace!, dep.metadata.name);
      return dep;
    },
    readyTimeoutMs: 5000,
  };
});
afterAll(async () => {
  await d.close();
});

describe('KubernetesTarget against the API double', () => {
  it('rolls out three objects and reports them healthy', () => threeObjectRollout(env));
  it('times out a rollout that never finishes, saying what it waits for', () => rolloutNeverFinishes(env));
  it('surfaces a 409 apply conflict naming the other field manager', () => conflictNamesManager(env));
  it('collects garbage but keeps PVCs and shared objects unless asked', () => gcKeepsPvcAndShared(env));
  it('diffs desired objects against the live cluster without side effects', () => liveDiffShowsChanges(env));

  it('applies with field manager "sreworks" and stamps app/env labels', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    await t.apply([configMap('c', ns)], scope(ns));
    const live = d.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'c' })!;
    expect(live.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toEqual(['sreworks/Apply']);
    expect(live.metadata.labels).toMatchObject({ 'app.oam.dev/name': 'shop', 'app.oam.dev/env': 'dev' });
    const inv = d.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'sreworks-inventory.shop.dev' })!;
    expect(JSON.parse(inv.data.objects)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'c' }]);
  });

  it('sends the rendered JSON as is (no model round trip dropping fields) with strict field validation', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const dep = deployment('raw', ns);
    (dep as any).spec.template.spec.containers[0].futureField = 'kept';
    await t.apply([dep], scope(ns));
    const live = d.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'raw' })!;
    expect(live.spec.template.spec.containers[0].futureField).toBe('kept');
  });

  it('removing every object of an app (gc with nothing kept) also removes its inventory', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    await t.apply([configMap('a', ns), configMap('b', ns)], scope(ns));
    expect(await t.gc(scope(ns), [])).toHaveLength(2);
    expect(d.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'sreworks-inventory.shop.dev' })).toBeUndefined();
    expect(await t.inventory(scope(ns))).toEqual([]);
  });

  it('dry-run apply changes nothing', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const st = await t.apply([deployment('x', 'default')], scope('default', { app: 'dry' }), { dryRun: true });
    expect(st[0].message).toMatch(/^dry-run:/);
    expect(d.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'x' })).toBeUndefined();
    expect(await t.inventory(scope('default', { app: 'dry' }))).toEqual([]);
    void ns;
  });

  it('retries a transient 500 and succeeds', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    await t.apply([configMap('first', ns)], scope(ns));
    d.faults.failNext({ method: 'PATCH', pathIncludes: '/configmaps/retry-me', status: 500 });
    const st = await t.apply([configMap('retry-me', ns)], scope(ns));
    expect(st[0].healthy).toBe(true);
  });

  it('reports a 5xx that persists as OAM_TARGET_UNAVAILABLE', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    await t.apply([configMap('first', ns)], scope(ns));
    d.faults.failNext({ method: 'PATCH', pathIncludes: '/configmaps/broken', status: 503, times: 5 });
    await expect(t.apply([configMap('broken', ns), deployment('after', ns)], scope(ns))).rejects.toMatchObject({
      code: 'OAM_TARGET_UNAVAILABLE',
      status: 503,
      details: { failed: [`ConfigMap ${ns}/broken`], applied: [] },
    });
    // The Deployment wave never ran, but both are in the inventory (recorded before applying).
    expect((await t.inventory(scope(ns))).map((r) => r.name).sort()).toEqual(['after', 'broken', 'first']);
    d.faults.clear();
  });

  it('waits through a watch: resolves soon after readiness even with a long poll interval', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const objs = [deployment('w', ns), service('w', ns)];
    await t.apply(objs, scope(ns));
    const t0 = Date.now();
    const st = await t.waitHealthy(objs, scope(ns), { timeoutMs: 10_000, pollMs: 60_000 });
    expect(st.every((s) => s.healthy)).toBe(true);
    // Readiness comes 100 ms after apply; without the watch the next poll would be 60 s away.
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('reopens a watch the server ended and still sees readiness promptly', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const dep = deployment('rewatch', ns);
    d.faults.stallRollout(ns, 'rewatch');
    await t.apply([dep], scope(ns));
    const t0 = Date.now();
    const waiting = t.waitHealthy([dep], scope(ns), { timeoutMs: 10_000, pollMs: 60_000 });
    await new Promise((r) => setTimeout(r, 300));
    d.dropWatches();
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'rewatch' };
    // Re-assert readiness in case a late simulated rollout step overwrites it on a loaded machine.
    const setReady = () => d.setStatus(ref, { observedGeneration: d.get(ref)!.metadata.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    setReady();
    const iv = setInterval(setReady, 200);
    const st = await waiting.finally(() => clearInterval(iv));
    expect(st[0].healthy).toBe(true);
    expect(Date.now() - t0).toBeLessThan(6000);
  });

  it('explains a stuck rollout with the pods\' reason (ImagePullBackOff)', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const dep = deployment('pull', ns, 'registry.invalid/team/app:1');
    await t.apply([dep], scope(ns));
    for (let i = 0; i < 100 && d.list('v1', 'Pod', ns).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const err = await t.waitHealthy([dep], scope(ns), { timeoutMs: 1000, pollMs: 200 }).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'OAM_TARGET_WAIT_TIMEOUT' });
    expect((err as Error).message).toMatch(/container main: ImagePullBackOff: Back-off pulling image "registry.invalid\/team\/app:1"/);
    const [h] = await t.health([dep], scope(ns));
    expect(h.message).toContain('ImagePullBackOff');
  });

  it('fails fast when a rollout exceeds its progress deadline', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const dep = deployment('late', ns);
    d.faults.stallRollout(ns, 'late', { deadlineExceeded: true });
    await t.apply([dep], scope(ns));
    await expect(t.waitHealthy([dep], scope(ns), { timeoutMs: 5000, pollMs: 200 })).rejects.toMatchObject({
      code: 'OAM_TARGET_DEGRADED',
      message: expect.stringContaining('exceeded its progress deadline'),
    });
  });

  it('stops waiting when aborted', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const dep = deployment('abort', ns);
    d.faults.stallRollout(ns, 'abort');
    await t.apply([dep], scope(ns));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    await expect(t.waitHealthy([dep], scope(ns), { timeoutMs: 10_000, signal: ac.signal })).rejects.toMatchObject({ code: 'OAM_TARGET_WAIT_ABORTED' });
  });

  it('reports a Job that fails as degraded and a bound PVC as healthy', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const job: K8sObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: ns }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'busybox' }] } } } };
    d.faults.failJob(ns, 'migrate', 'schema locked');
    await t.apply([job], scope(ns));
    await expect(t.waitHealthy([job], scope(ns), { timeoutMs: 3000, pollMs: 100 })).rejects.toMatchObject({ message: expect.stringContaining('BackoffLimitExceeded') });
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: ns }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    await t.apply([claim], scope(ns));
    const [st] = await t.waitHealthy([claim], scope(ns), { timeoutMs: 3000, pollMs: 100 });
    expect(st.message).toMatch(/claim bound to volume pvc-/);
  });

  it('applies a CRD and its custom resource in one batch; custom health decides', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const crd: K8sObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    const cr: K8sObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } };
    const st = await t.apply([cr, crd], scope(ns));
    expect(st.map((s) => s.ref.namespace)).toEqual([ns, undefined]);
    const custom = (_o: K8sObject, live: Record<string, any>) => ({ ref: { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w1' }, healthy: live.spec.size === 3, phase: 'healthy' as const, message: `size ${live.spec.size}` });
    const [h] = await t.health([cr], scope(ns), custom);
    expect(h.message).toBe('size 3');
    // Sandboxed health policies may be async; a throwing one gives "unknown", never a crash.
    const asyncCustom = async (o: K8sObject, live: Record<string, any>) => {
      await new Promise((r) => setTimeout(r, 5));
      return custom(o, live);
    };
    const [w] = await t.waitHealthy([cr], scope(ns), { timeoutMs: 3000, pollMs: 100, custom: asyncCustom });
    expect(w).toMatchObject({ healthy: true, message: 'size 3' });
    const [bad] = await t.health([cr], scope(ns), () => {
      throw new Error('template exploded');
    });
    expect(bad).toMatchObject({ phase: 'unknown', message: 'custom health failed: template exploded' });
  });

  it('uses a generic Ready-condition rule for custom resources (Flux HelmRelease)', async () => {
    registerCommonCrds(d);
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    await new Promise((r) => setTimeout(r, 20));
    const hr: K8sObject = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'redis', namespace: ns }, spec: { interval: '5m', chart: { spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } } } } };
    await t.apply([hr], scope(ns));
    let [h] = await t.health([hr], scope(ns));
    expect(h.phase).toBe('healthy'); // no status yet: exists
    d.setStatus({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: ns, name: 'redis' }, { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'False', reason: 'InstallFailed', message: 'chart not found' }] });
    [h] = await t.health([hr], scope(ns));
    expect(h).toMatchObject({ phase: 'degraded', message: expect.stringContaining('InstallFailed') });
  });

  it('names the field for bad input: scope, object shape, unknown kind, invalid name', async () => {
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    await expect(t.apply([], { ...scope('x'), env: '' })).rejects.toMatchObject({ code: 'OAM_TARGET_SCOPE', details: { field: 'scope.env' } });
    await expect(t.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } as K8sObject], scope('x'))).rejects.toMatchObject({ details: { field: 'objects[0].metadata.name' } });
    // The same ConfigMap once with the default namespace implied and once explicit.
    await expect(t.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'twice' } }, configMap('twice', 'x')], scope('x'))).rejects.toMatchObject({ code: 'OAM_TARGET_OBJECT_DUPLICATE', details: { field: 'objects[1].metadata.name' } });
    await expect(t.apply([{ apiVersion: 'nope.io/v1', kind: 'Thing', metadata: { name: 'a' } }], scope('x'))).rejects.toMatchObject({ code: 'OAM_TARGET_UNKNOWN_KIND', status: 400 });
    const ns = env.namespace();
    await expect(t.apply([configMap('Bad_Name', ns)], scope(ns))).rejects.toMatchObject({ code: 'OAM_TARGET_INVALID', status: 400, details: { field: 'objects[0].metadata.name' } });
    // The server's own 422 (here a Service name that is a valid subdomain but not a DNS-1035 label).
    await expect(t.apply([service('1web', ns)], scope(ns))).rejects.toMatchObject({ code: 'OAM_TARGET_INVALID', status: 400, details: { field: 'metadata.name' }, message: expect.stringContaining('DNS-1035') });
    expect(() => new KubernetesTarget({ kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\n' })).toThrow(expect.objectContaining({ code: 'OAM_TARGET_KUBECONFIG', details: { field: 'kubeconfig' } }));
  });

  it('reports a missing object as missing', async () => {
    const ns = env.namespace();
    const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
    const [h] = await t.health([deployment('ghost', ns)], scope(ns));
    expect(h).toMatchObject({ phase: 'missing', healthy: false });
  });
});
