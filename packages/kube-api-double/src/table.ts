// meta.k8s.io/v1 Table output (what `kubectl get` asks for with `as=Table`), with the columns
// kube-apiserver prints for the common kinds and Name/Age for the rest.

import type { Obj } from './store.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  cell: (o: Obj) => unknown;
}

function age(o: Obj): string {
  const t = Date.parse(o.metadata?.creationTimestamp ?? '');
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((Date.now() - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const name: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name of the object', priority: 0, cell: (o) => o.metadata.name };
const ageCol: Column = { name: 'Age', type: 'string', description: 'Time since creation', priority: 0, cell: age };
const col = (n: string, cell: (o: Obj) => unknown, priority = 0, type = 'string'): Column => ({ name: n, type, description: n, priority, cell });

const COLUMNS: Record<string, Column[]> = {
  'apps/Deployment': [
    name,
    col('Ready', (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`),
    col('Up-to-date', (o) => o.status?.updatedReplicas ?? 0, 0, 'integer'),
    col('Available', (o) => o.status?.availableReplicas ?? 0, 0, 'integer'),
    ageCol,
    col('Containers', (o) => (o.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.name).join(','), 1),
    col('Images', (o) => (o.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.image).join(','), 1),
  ],
  'apps/StatefulSet': [name, col('Ready', (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`), ageCol],
  'apps/DaemonSet': [
    name,
    col('Desired', (o) => o.status?.desiredNumberScheduled ?? 0, 0, 'integer'),
    col('Current', (o) => o.status?.currentNumberScheduled ?? 0, 0, 'integer'),
    col('Ready', (o) => o.status?.numberReady ?? 0, 0, 'integer'),
    col('Up-to-date', (o) => o.status?.updatedNumberScheduled ?? 0, 0, 'integer'),
    col('Available', (o) => o.status?.numberAvailable ?? 0, 0, 'integer'),
    ageCol,
  ],
  'apps/ReplicaSet': [name, col('Desired', (o) => o.spec?.replicas ?? 1, 0, 'integer'), col('Current', (o) => o.status?.replicas ?? 0, 0, 'integer'), col('Ready', (o) => o.status?.readyReplicas ?? 0, 0, 'integer'), ageCol],
  '/Pod': [
    name,
    col('Ready', (o) => `${(o.status?.containerStatuses ?? []).filter((c: Obj) => c.ready).length}/${(o.spec?.containers ?? []).length}`),
    col('Status', (o) => (o.status?.containerStatuses ?? []).map((c: Obj) => c.state?.waiting?.reason ?? (c.state?.terminated?.reason)).find(Boolean) ?? o.status?.phase ?? 'Pending'),
    col('Restarts', (o) => (o.status?.containerStatuses ?? []).reduce((a: number, c: Obj) => a + (c.restartCount ?? 0), 0), 0, 'integer'),
    ageCol,
  ],
  '/Service': [
    name,
    col('Type', (o) => o.spec?.type ?? 'ClusterIP'),
    col('Cluster-IP', (o) => o.spec?.clusterIP ?? '<none>'),
    col('External-IP', (o) => (o.status?.loadBalancer?.ingress ?? []).map((i: Obj) => i.ip ?? i.hostname).join(',') || '<none>'),
    col('Port(s)', (o) => (o.spec?.ports ?? []).map((p: Obj) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>'),
    ageCol,
  ],
  'batch/Job': [
    name,
    col('Status', (o) => ((o.status?.conditions ?? []).find((c: Obj) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed'))?.type ?? 'Running')),
    col('Completions', (o) => `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}`),
    ageCol,
  ],
  '/PersistentVolumeClaim': [name, col('Status', (o) => o.status?.phase ?? 'Pending'), col('Volume', (o) => o.spec?.volumeName ?? ''), col('Capacity', (o) => o.status?.capacity?.storage ?? ''), ageCol],
  '/Namespace': [name, col('Status', (o) => o.status?.phase ?? 'Active'), ageCol],
  '/Event': [
    col('Last Seen', (o) => age({ metadata: { creationTimestamp: o.lastTimestamp ?? o.metadata.creationTimestamp } })),
    col('Type', (o) => o.type),
    col('Reason', (o) => o.reason),
    col('Object', (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`),
    col('Message', (o) => o.message),
  ],
};

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function toTable(group: string, kind: string, objs: Obj[], listMeta: Obj): Obj {
  const cols = COLUMNS[`${group}/${kind}`] ?? [name, ageCol];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: cols.map(({ cell: _c, ...d }) => d),
    rows: objs.map((o) => ({
      cells: cols.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
