// Target scenarios shared by the API-double suite and the opt-in real-cluster suite.

import type { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { KubernetesTarget, type ApplyScope, type K8sObject } from '../src/targets/index.js';

export interface ScenarioEnv {
  kubeconfig: string | KubeConfig;
  /** A fresh namespace name for this scenario. */
  namespace: () => string;
  /** Make this Deployment's rollout never finish (fault injection, or an unpullable image). */
  stall: (dep: K8sObject) => K8sObject;
  /** How long a healthy rollout may take here. */
  readyTimeoutMs: number;
  /** Storage class for PVCs on a real cluster (undefined: default). */
  storageClassName?: string;
}

export function scope(namespace: string, over: Partial<ApplyScope> = {}): ApplyScope {
  return { app: 'shop', env: 'dev', namespace, cluster: 'test', revision: 'r1', ...over };
}

export function deployment(name: string, ns: string, image = 'nginx:1.27-alpine', replicas = 1): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { 'app.oam.dev/component': name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ports: [{ containerPort: 80 }] }] } },
    },
  };
}

export function service(name: string, ns: string): K8sObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 80 }] } };
}

export function configMap(name: string, ns: string, data: Record<string, string> = { a: '1' }): K8sObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data };
}

export function pvc(name: string, ns: string, storageClassName?: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } }, ...(storageClassName ? { storageClassName } : {}) },
  };
}

export async function threeObjectRollout(env: ScenarioEnv): Promise<void> {
  const ns = env.namespace();
  const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
  const objs = [deployment('web', ns), service('web', ns), configMap('web-config', ns)];
  const applied = await t.apply(objs, scope(ns));
  expect(applied.map((s) => s.ref.kind)).toEqual(['Deployment', 'Service', 'ConfigMap']);
  const healthy = await t.waitHealthy(objs, scope(ns), { timeoutMs: env.readyTimeoutMs, pollMs: 500 });
  expect(healthy.every((s) => s.healthy && s.phase === 'healthy')).toBe(true);
  expect(healthy[0].message).toMatch(/successfully rolled out/);
  expect(healthy[0].component).toBe('web');
  const inv = await t.inventory(scope(ns));
  expect(inv.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(['ConfigMap/web-config', 'Deployment/web', 'Service/web']);
}

export async function rolloutNeverFinishes(env: ScenarioEnv): Promise<void> {
  const ns = env.namespace();
  const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
  const dep = env.stall(deployment('stuck', ns));
  await t.apply([dep], scope(ns));
  const err = await t.waitHealthy([dep], scope(ns), { timeoutMs: 1500, pollMs: 300, failOnDegraded: false }).then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(err?.code).toBe('OAM_TARGET_WAIT_TIMEOUT');
  expect(err?.message).toContain(`Deployment ${ns}/stuck`);
  expect(err?.message).toMatch(/timed out after \d+ ms .* waiting for 1 of 1 object\(s\) to become healthy: .*(Waiting for|observe generation)/);
}

export async function conflictNamesManager(env: ScenarioEnv): Promise<void> {
  const ns = env.namespace();
  const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
  await t.apply([deployment('api', ns)], scope(ns));
  // Another tool takes ownership of spec.replicas with its own apply.
  const other = new KubernetesTarget({ kubeconfig: env.kubeconfig, fieldManager: 'other-tool', forceConflicts: true });
  await other.client.apply(
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: ns }, spec: { replicas: 3 } } as never,
    { fieldManager: 'other-tool', force: true },
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'api' },
  );
  const err = await t.apply([deployment('api', ns, 'nginx:1.27-alpine', 2)], scope(ns)).then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string; status: number; details: { managers: string[]; field: string } },
  );
  expect(err?.code).toBe('OAM_TARGET_APPLY_CONFLICT');
  expect(err?.status).toBe(409);
  expect(err?.message).toContain('"other-tool"');
  expect(err?.details.field).toBe('.spec.replicas');
  const forced = new KubernetesTarget({ kubeconfig: env.kubeconfig, forceConflicts: true });
  await forced.apply([deployment('api', ns, 'nginx:1.27-alpine', 2)], scope(ns));
  const live = await forced.client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'api' });
  expect(live?.spec.replicas).toBe(2);
}

export async function gcKeepsPvcAndShared(env: ScenarioEnv): Promise<void> {
  const ns = env.namespace();
  const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
  const shared = configMap('shared-settings', ns);
  shared.metadata.annotations = { 'sreworks.io/shared': 'true' };
  const rev1 = [deployment('db', ns), pvc('db-data', ns, env.storageClassName), configMap('old-config', ns), shared];
  await t.apply(rev1, scope(ns));
  const rev2 = [deployment('db', ns)];
  await t.apply(rev2, scope(ns, { revision: 'r2' }));
  const keep = rev2.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: ns, name: o.metadata.name }));
  const plan = await t.gcPlan(scope(ns), keep);
  expect(plan.retain.map((r) => r.ref.name).sort()).toEqual(['db-data', 'shared-settings']);
  const deleted = await t.gc(scope(ns, { revision: 'r2' }), keep);
  expect(deleted.map((r) => r.name)).toEqual(['old-config']);
  expect(await t.client.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'db-data' })).toBeDefined();
  expect(await t.client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'shared-settings' })).toBeDefined();
  // The retained objects stay in the inventory, so a later explicit GC can still find them.
  expect((await t.inventory(scope(ns))).map((r) => r.name).sort()).toEqual(['db', 'db-data', 'shared-settings']);
  const withPvc = await t.gc(scope(ns), keep, { includePVC: true });
  expect(withPvc.map((r) => r.name)).toEqual(['db-data']);
}

export async function liveDiffShowsChanges(env: ScenarioEnv): Promise<void> {
  const ns = env.namespace();
  const t = new KubernetesTarget({ kubeconfig: env.kubeconfig });
  const objs = [deployment('shop', ns), configMap('shop-config', ns)];
  await t.apply([objs[1]], scope(ns));
  const before = await t.liveDiff(objs, scope(ns));
  expect(before.map((d) => d.change)).toEqual(['create', 'none']);
  expect(before[0].diff).toContain('+kind: Deployment');
  const changed = [objs[0], configMap('shop-config', ns, { a: '2' })];
  const after = await t.liveDiff(changed, scope(ns));
  expect(after[1].change).toBe('update');
  expect(after[1].diff).toMatch(/-\s+a: "1"/);
  expect(after[1].diff).toMatch(/\+\s+a: "2"/);
  // liveDiff has no side effects.
  expect(await t.client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'shop' })).toBeUndefined();
}
