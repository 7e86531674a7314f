// The resource table served by discovery: built-in kinds plus CRDs registered at run time.

export interface ResourceType {
  group: string; // '' for core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Has a status subresource: main-resource writes keep status, status writes keep the rest. */
  status: boolean;
  /** Has a scale subresource (spec.replicas). */
  scale?: boolean;
  /** Custom resources refuse strategic merge patch, as the real server does. */
  custom?: boolean;
  /** Core objects without spec/status (ConfigMap, Secret) have no metadata.generation. */
  generation: boolean;
}

export const VERBS_NAMESPACED = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  opts: { status?: boolean; scale?: boolean; shortNames?: string[]; generation?: boolean } = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: opts.shortNames,
    status: opts.status ?? false,
    scale: opts.scale,
    generation: opts.generation ?? opts.status ?? false,
  };
}

export function builtinResources(): ResourceType[] {
  return [
    r('', 'v1', 'Namespace', 'namespaces', false, { status: true, shortNames: ['ns'], generation: false }),
    r('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
    r('', 'v1', 'Secret', 'secrets', true),
    r('', 'v1', 'Service', 'services', true, { status: true, shortNames: ['svc'], generation: false }),
    r('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
    r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { status: true, shortNames: ['pvc'], generation: false }),
    r('', 'v1', 'PersistentVolume', 'persistentvolumes', false, { status: true, shortNames: ['pv'], generation: false }),
    r('', 'v1', 'Pod', 'pods', true, { status: true, shortNames: ['po'], generation: false }),
    r('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
    r('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'] }),
    r('', 'v1', 'Node', 'nodes', false, { status: true, shortNames: ['no'], generation: false }),
    r('apps', 'v1', 'Deployment', 'deployments', true, { status: true, scale: true, shortNames: ['deploy'] }),
    r('apps', 'v1', 'StatefulSet', 'statefulsets', true, { status: true, scale: true, shortNames: ['sts'] }),
    r('apps', 'v1', 'DaemonSet', 'daemonsets', true, { status: true, shortNames: ['ds'] }),
    r('apps', 'v1', 'ReplicaSet', 'replicasets', true, { status: true, scale: true, shortNames: ['rs'] }),
    r('batch', 'v1', 'Job', 'jobs', true, { status: true }),
    r('batch', 'v1', 'CronJob', 'cronjobs', true, { status: true, shortNames: ['cj'] }),
    r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { status: true, shortNames: ['ing'] }),
    r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
    r('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
    r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { status: true, shortNames: ['hpa'] }),
    r('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { status: true, shortNames: ['hpa'] }),
    r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { status: true, shortNames: ['pdb'] }),
    r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
    r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
    r('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
    r('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
    r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, { status: true, shortNames: ['crd', 'crds'] }),
    r('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  ];
}

export function groupVersion(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Lists whose items merge by key under strategic merge patch and server-side apply. */
export function listMergeKey(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'env':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'conditions':
      return 'type';
    case 'ports': {
      const first = items.find((i) => i && typeof i === 'object') as Record<string, unknown> | undefined;
      if (first && 'containerPort' in first) return 'containerPort';
      if (first && 'port' in first) return 'port';
      return undefined;
    }
    default:
      return undefined;
  }
}
