// Health per kind, from the live object. Messages follow `kubectl rollout status` wording so an
// operator reads the same sentence here as in a terminal; phases follow Argo CD's vocabulary.

import type { HealthPhase, ObjectRef, ObjectStatus } from './types.js';

type Live = Record<string, any>;

interface Verdict {
  phase: HealthPhase;
  message: string;
}

const ok = (message: string): Verdict => ({ phase: 'healthy', message });
const progressing = (message: string): Verdict => ({ phase: 'progressing', message });
const degraded = (message: string): Verdict => ({ phase: 'degraded', message });

function condition(live: Live, type: string): Live | undefined {
  return (live.status?.conditions ?? []).find((c: Live) => c.type === type);
}

function observed(live: Live): Verdict | undefined {
  const gen = live.metadata?.generation;
  const obs = live.status?.observedGeneration;
  if (gen !== undefined && (obs === undefined || obs < gen)) {
    return progressing(`Waiting for the controller to observe generation ${gen} (observedGeneration ${obs ?? 'none'})`);
  }
  return undefined;
}

function deployment(live: Live): Verdict {
  const o = observed(live);
  if (o) return o;
  const p = condition(live, 'Progressing');
  if (p?.reason === 'ProgressDeadlineExceeded') return degraded(`deployment "${live.metadata.name}" exceeded its progress deadline: ${p.message ?? ''}`.trim());
  if (live.spec?.paused) return progressing(`deployment "${live.metadata.name}" is paused`);
  const want = live.spec?.replicas ?? 1;
  const st = live.status ?? {};
  const updated = st.updatedReplicas ?? 0;
  const total = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  if (updated < want) return progressing(`Waiting for deployment "${live.metadata.name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`);
  if (total > updated) return progressing(`Waiting for deployment "${live.metadata.name}" rollout to finish: ${total - updated} old replicas are pending termination...`);
  if (available < updated) return progressing(`Waiting for deployment "${live.metadata.name}" rollout to finish: ${available} of ${updated} updated replicas are available...`);
  return ok(`deployment "${live.metadata.name}" successfully rolled out (${available}/${want} available)`);
}

function statefulSet(live: Live): Verdict {
  const o = observed(live);
  if (o) return o;
  const want = live.spec?.replicas ?? 1;
  const st = live.status ?? {};
  if (live.spec?.updateStrategy?.type === 'OnDelete') return ok(`statefulset "${live.metadata.name}" uses OnDelete; rollout is manual`);
  const ready = st.readyReplicas ?? 0;
  if (ready < want) return progressing(`Waiting for ${want - ready} pods to be ready...`);
  const partition = live.spec?.updateStrategy?.rollingUpdate?.partition;
  if (partition !== undefined && partition > 0) {
    const updated = st.updatedReplicas ?? 0;
    if (updated < want - partition) return progressing(`Waiting for partitioned roll out to finish: ${updated} out of ${want - partition} new pods have been updated...`);
    return ok(`partitioned roll out complete: ${updated} new pods have been updated...`);
  }
  if (st.updateRevision && st.currentRevision !== st.updateRevision) {
    return progressing(`waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...`);
  }
  return ok(`statefulset rolling update complete ${st.currentReplicas ?? ready} pods at revision ${st.currentRevision ?? ''}...`.replace(' ...', '...'));
}

function daemonSet(live: Live): Verdict {
  const o = observed(live);
  if (o) return o;
  const st = live.status ?? {};
  const desired = st.desiredNumberScheduled ?? 0;
  const updated = st.updatedNumberScheduled ?? 0;
  const available = st.numberAvailable ?? 0;
  if (updated < desired) return progressing(`Waiting for daemon set "${live.metadata.name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
  if (available < desired) return progressing(`Waiting for daemon set "${live.metadata.name}" rollout to finish: ${available} of ${desired} updated pods are available...`);
  return ok(`daemon set "${live.metadata.name}" successfully rolled out`);
}

function job(live: Live): Verdict {
  const failed = condition(live, 'Failed');
  if (failed?.status === 'True') return degraded(`job failed: ${failed.reason ?? ''}${failed.message ? `: ${failed.message}` : ''}`);
  const complete = condition(live, 'Complete');
  if (complete?.status === 'True') return ok(`job completed (${live.status?.succeeded ?? 0} succeeded)`);
  if (live.spec?.suspend) return progressing('job is suspended');
  const st = live.status ?? {};
  return progressing(`job running: ${st.active ?? 0} active, ${st.succeeded ?? 0} succeeded, ${st.failed ?? 0} failed`);
}

function service(live: Live): Verdict {
  if (live.spec?.type === 'LoadBalancer') {
    const ing = live.status?.loadBalancer?.ingress ?? [];
    if (ing.length === 0) return progressing(`waiting for load balancer address for service "${live.metadata.name}"`);
    return ok(`load balancer ready at ${ing.map((i: Live) => i.ip ?? i.hostname).join(', ')}`);
  }
  return ok(`service ready${live.spec?.clusterIP ? ` at ${live.spec.clusterIP}` : ''}`);
}

function pvc(live: Live): Verdict {
  const phase = live.status?.phase;
  if (phase === 'Bound') return ok(`claim bound to volume ${live.spec?.volumeName ?? ''}`.trim());
  if (phase === 'Lost') return degraded('claim lost its underlying volume');
  return progressing(`waiting for the claim to be bound (phase ${phase ?? 'unknown'})`);
}

function ingress(live: Live): Verdict {
  const ing = live.status?.loadBalancer?.ingress ?? [];
  if (ing.length === 0) return progressing(`waiting for ingress "${live.metadata.name}" to get an address`);
  return ok(`ingress ready at ${ing.map((i: Live) => i.ip ?? i.hostname).join(', ')}`);
}

function pod(live: Live): Verdict {
  const st = live.status ?? {};
  for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) {
    const reason = c.state?.waiting?.reason;
    if (['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'InvalidImageName'].includes(reason)) {
      return degraded(`container ${c.name}: ${reason}${c.state.waiting.message ? `: ${c.state.waiting.message}` : ''}`);
    }
  }
  if (st.phase === 'Succeeded') return ok('pod completed');
  if (st.phase === 'Failed') return degraded(`pod failed${st.reason ? `: ${st.reason}` : ''}${st.message ? `: ${st.message}` : ''}`);
  if (st.phase === 'Running' && condition(live, 'Ready')?.status === 'True') return ok('pod running and ready');
  return progressing(`pod ${st.phase ?? 'Pending'}`);
}

function namespace(live: Live): Verdict {
  return live.status?.phase === 'Terminating' ? progressing('namespace is terminating') : ok('namespace active');
}

function crd(live: Live): Verdict {
  return condition(live, 'Established')?.status === 'True' ? ok('established') : progressing('waiting for the CRD to be established');
}

/** kstatus-like rule for custom resources: observedGeneration, then Ready/Available conditions. */
function generic(live: Live): Verdict {
  const o = live.status?.observedGeneration !== undefined ? observed(live) : undefined;
  if (o) return o;
  for (const type of ['Ready', 'Available', 'Succeeded']) {
    const c = condition(live, type);
    if (!c) continue;
    if (c.status === 'True') return ok(`${type}: ${c.message ?? c.reason ?? 'True'}`);
    if (c.status === 'False' && /fail|error|exhausted|invalid/i.test(`${c.reason ?? ''}`)) return degraded(`${type}=False: ${c.reason ?? ''}${c.message ? `: ${c.message}` : ''}`);
    return progressing(`waiting for ${type}: ${c.reason ?? c.status}${c.message ? `: ${c.message}` : ''}`);
  }
  return ok(`${live.kind} exists`);
}

const RULES: Record<string, (live: Live) => Verdict> = {
  'apps/Deployment': deployment,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'batch/Job': job,
  '/Service': service,
  '/PersistentVolumeClaim': pvc,
  'networking.k8s.io/Ingress': ingress,
  '/Pod': pod,
  '/Namespace': namespace,
  'apiextensions.k8s.io/CustomResourceDefinition': crd,
};

/** True when the kind has a built-in rule (custom health is consulted first for the rest). */
export function hasBuiltinHealth(apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${group}/${kind}` in RULES;
}

export function liveHealth(ref: ObjectRef, live: Live | undefined, component?: string): ObjectStatus {
  if (!live) return { ref, component, healthy: false, phase: 'missing', message: 'object does not exist' };
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const rule = RULES[`${group}/${ref.kind}`] ?? generic;
  let v: Verdict;
  if (live.metadata?.deletionTimestamp) v = progressing('object is being deleted');
  else {
    try {
      v = rule(live);
    } catch (e) {
      v = { phase: 'unknown', message: `cannot evaluate health: ${(e as Error).message}` };
    }
  }
  return { ref, component: component ?? live.metadata?.labels?.['app.oam.dev/component'], healthy: v.phase === 'healthy', phase: v.phase, message: v.message };
}
