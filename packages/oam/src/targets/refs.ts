// Object references: identity ignores the version (apps/v1 and apps/v1beta2 name one object).

import type { K8sObject, ObjectRef } from './types.js';

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function refOf(o: K8sObject): ObjectRef {
  const r: ObjectRef = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name };
  if (o.metadata.namespace) r.namespace = o.metadata.namespace;
  return r;
}

export function refKey(r: ObjectRef): string {
  return `${groupOf(r.apiVersion)}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
}

export function sortRefs(refs: ObjectRef[]): ObjectRef[] {
  return [...refs].sort((a, b) => refKey(a).localeCompare(refKey(b)));
}

/** Apply order, as Helm installs: namespaces and CRDs first, config before workloads, routes last. */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
];

export function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** Group objects into waves of equal rank, in apply order. */
export function applyWaves<T extends { kind: string }>(objs: T[]): T[][] {
  const byRank = new Map<number, T[]>();
  for (const o of objs) {
    const r = kindRank(o.kind);
    byRank.set(r, [...(byRank.get(r) ?? []), o]);
  }
  return [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Run fn over items with at most `limit` in flight; results keep input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T, i: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = { status: 'fulfilled', value: await fn(items[i], i) };
      } catch (e) {
        out[i] = { status: 'rejected', reason: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
