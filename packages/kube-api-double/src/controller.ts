// A tiny stand-in for kube-controller-manager: workloads roll out after a delay, Jobs run a pod
// that completes or fails, PVCs bind, load balancers get an address. Faults make a rollout stall,
// a Job fail. Off unless switched on.

import { createHash, randomBytes } from 'node:crypto';
import { clone, isObject } from './patch.js';
import type { ObjectStore, Obj, Stored, StoreEvent } from './store.js';
import { nowRfc3339 } from './store.js';

export interface ControllerOptions {
  /** Delay before Deployments/StatefulSets/DaemonSets report ready, LBs get addresses. */
  readyAfterMs: number;
  /** Delay before a Job's pod finishes. */
  jobAfterMs: number;
  /** Delay before a PVC binds. */
  pvcBindAfterMs: number;
  /** Create ReplicaSets and Pods for workloads (set false to keep the store small). */
  pods: boolean;
}

export interface JobOutcome {
  succeed: boolean;
  logs: string[];
  terminationMessage?: string;
  exitCode?: number;
  message?: string;
}

export type JobBehaviour = (job: Obj, pod: Obj) => JobOutcome | undefined;

const MANAGER = 'kube-controller-manager';

function shortHash(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 10);
}

function rand5(): string {
  return randomBytes(4).toString('hex').slice(0, 5);
}

/** What kaniko prints and writes to --digest-file, so build followers have something real to parse. */
export function kanikoBehaviour(job: Obj, pod: Obj): JobOutcome | undefined {
  const c = (pod.spec?.containers ?? [])[0];
  const args: string[] = [...(c?.args ?? []), ...(c?.command ?? [])];
  if (!args.some((a) => a.startsWith('--digest-file'))) return undefined;
  const dest = (args.find((a) => a.startsWith('--destination=')) ?? '--destination=unknown').slice('--destination='.length);
  const dockerfile = (args.find((a) => a.startsWith('--dockerfile=')) ?? '--dockerfile=Dockerfile').slice('--dockerfile='.length);
  const digest = `sha256:${createHash('sha256').update(`${dest}|${job.metadata.uid}`).digest('hex')}`;
  return {
    succeed: true,
    logs: [
      'INFO[0000] Retrieving image manifest alpine:3.20',
      'INFO[0001] Built cross stage deps: map[]',
      `INFO[0001] Executing 0 build triggers (${dockerfile})`,
      'INFO[0002] Taking snapshot of full filesystem...',
      `INFO[0004] Pushing image to ${dest}`,
      `INFO[0005] Pushed ${dest.split(':')[0]}@${digest}`,
    ],
    terminationMessage: digest,
    exitCode: 0,
  };
}

export class ControllerSim {
  private opts: ControllerOptions | undefined;
  private timers = new Map<string, NodeJS.Timeout>();
  private unsubscribe: (() => void) | undefined;
  readonly stalled = new Set<string>();
  readonly stallDeadline = new Set<string>();
  readonly failingJobs = new Map<string, string>();
  readonly behaviours: JobBehaviour[] = [kanikoBehaviour];
  readonly logs = new Map<string, { lines: string[]; done: boolean }>();
  private logListeners = new Set<() => void>();
  private jobsStarted = new Set<string>();

  constructor(private readonly store: ObjectStore) {}

  get enabled(): boolean {
    return this.opts !== undefined;
  }

  enable(opts: Partial<ControllerOptions> = {}): void {
    this.opts = { readyAfterMs: 50, jobAfterMs: 50, pvcBindAfterMs: 20, pods: true, ...opts };
    this.unsubscribe?.();
    this.unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    // Reconcile what already exists.
    for (const s of [...this.store.objects.values()]) this.onEvent({ rv: 0, type: 'ADDED', typeKey: '', obj: s.obj });
  }

  disable(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.opts = undefined;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  close(): void {
    this.disable();
    this.logListeners.clear();
  }

  onLogAppend(fn: () => void): () => void {
    this.logListeners.add(fn);
    return () => this.logListeners.delete(fn);
  }

  appendLog(ns: string, pod: string, container: string, lines: string[], done: boolean): void {
    const k = `${ns}/${pod}/${container}`;
    const cur = this.logs.get(k) ?? { lines: [], done: false };
    cur.lines.push(...lines);
    cur.done = cur.done || done;
    this.logs.set(k, cur);
    for (const l of [...this.logListeners]) l();
  }

  private later(key: string, ms: number, fn: () => void): void {
    const prev = this.timers.get(key);
    if (prev) clearTimeout(prev);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (this.opts) fn();
      }, ms),
    );
  }

  private find(apiVersion: string, kind: string, ns: string | undefined, name: string): Stored | undefined {
    const t = this.store.typeFor(apiVersion, kind);
    return t ? this.store.get(t, ns, name) : undefined;
  }

  /** Record a core/v1 Event about an object, as the named controller would. */
  private event(about: Obj, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    const ns = about.metadata.namespace ?? 'default';
    const t = this.store.typeFor('v1', 'Event')!;
    const now = nowRfc3339();
    try {
      this.store.create(t, ns, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${about.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
        involvedObject: { apiVersion: about.apiVersion, kind: about.kind, namespace: about.metadata.namespace, name: about.metadata.name, uid: about.metadata.uid, resourceVersion: about.metadata.resourceVersion },
        reason,
        message,
        type,
        source: { component },
        reportingComponent: component,
        reportingInstance: '',
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      }, { manager: MANAGER });
    } catch {
      // The namespace may be terminating; events are best effort, as on a real cluster.
    }
  }

  private writeStatus(s: Stored, status: Obj): void {
    const cur = this.store.get(s.type, s.obj.metadata.namespace, s.obj.metadata.name);
    if (!cur) return;
    this.store.write(cur, { ...clone(cur.obj), status }, 'status', { manager: MANAGER });
  }

  private onEvent(ev: StoreEvent): void {
    if (!this.opts) return;
    const o = ev.obj;
    const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (ev.type === 'DELETED') {
      const t = this.timers.get(key);
      if (t) clearTimeout(t);
      this.timers.delete(key);
      return;
    }
    if (o.metadata.deletionTimestamp) return;
    switch (`${o.apiVersion}/${o.kind}`) {
      case 'apps/v1/Deployment':
      case 'apps/v1/StatefulSet':
      case 'apps/v1/DaemonSet':
        if ((o.status?.observedGeneration ?? 0) < (o.metadata.generation ?? 1)) this.rollout(key, o);
        break;
      case 'batch/v1/Job':
        if (!o.status?.startTime && !this.jobsStarted.has(o.metadata.uid)) {
          this.jobsStarted.add(o.metadata.uid);
          this.runJob(key, o);
        }
        break;
      case 'v1/PersistentVolumeClaim':
        if (o.status?.phase !== 'Bound') this.later(key, this.opts.pvcBindAfterMs, () => this.bindPvc(o));
        break;
      case 'v1/Service':
        if (o.spec?.type === 'LoadBalancer' && !(o.status?.loadBalancer?.ingress ?? []).length) {
          this.later(key, this.opts.readyAfterMs, () => {
            const s = this.find('v1', 'Service', o.metadata.namespace, o.metadata.name);
            if (s) this.writeStatus(s, { loadBalancer: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] } });
          });
        }
        break;
      case 'networking.k8s.io/v1/Ingress':
        if (!(o.status?.loadBalancer?.ingress ?? []).length) {
          this.later(key, this.opts.readyAfterMs, () => {
            const s = this.find('networking.k8s.io/v1', 'Ingress', o.metadata.namespace, o.metadata.name);
            if (s) this.writeStatus(s, { loadBalancer: { ingress: [{ ip: '172.18.255.201' }] } });
          });
        }
        break;
    }
  }

  private rollout(key: string, o: Obj): void {
    const ns = o.metadata.namespace;
    const name = o.metadata.name;
    const gen = o.metadata.generation ?? 1;
    const kind = o.kind as string;
    const replicas = kind === 'DaemonSet' ? 1 : (o.spec?.replicas ?? 1);
    // Images from the reserved .invalid TLD cannot be pulled: the rollout stalls as on a real cluster.
    const unpullable = (o.spec?.template?.spec?.containers ?? []).some((c: Obj) => typeof c.image === 'string' && c.image.startsWith('registry.invalid/'));
    const stalled = this.stalled.has(`${kind}/${ns}/${name}`) || unpullable;
    // Phase 1, at once: the controller observed the new generation, the rollout is in progress.
    setImmediate(() => {
      const s = this.find('apps/v1', kind, ns, name);
      if (!s || !this.opts || (s.obj.metadata.generation ?? 1) !== gen) return;
      this.writeStatus(s, this.workloadStatus(kind, gen, replicas, 0, 'progressing', s.obj.status));
    });
    // Phase 2, after the delay: ready (or, when stalled, stuck short of ready).
    this.later(key, this.opts!.readyAfterMs, () => {
      const s = this.find('apps/v1', kind, ns, name);
      if (!s || (s.obj.metadata.generation ?? 1) !== gen) return;
      if (stalled || this.stalled.has(`${kind}/${ns}/${name}`)) {
        const deadline = this.stallDeadline.has(`${kind}/${ns}/${name}`);
        // Unpullable images leave their pods waiting in ImagePullBackOff, as a kubelet would.
        if (unpullable && this.opts!.pods) this.ensurePods(s, true);
        this.writeStatus(s, this.workloadStatus(kind, gen, replicas, 0, deadline ? 'deadline' : 'progressing', s.obj.status));
        return;
      }
      if (this.opts!.pods) this.ensurePods(s);
      this.writeStatus(s, this.workloadStatus(kind, gen, replicas, replicas, 'ready', s.obj.status));
    });
  }

  private workloadStatus(kind: string, gen: number, replicas: number, ready: number, state: 'progressing' | 'ready' | 'deadline', prev: Obj | undefined): Obj {
    const now = nowRfc3339();
    if (kind === 'DaemonSet') {
      return { observedGeneration: gen, desiredNumberScheduled: replicas, currentNumberScheduled: replicas, numberReady: ready, updatedNumberScheduled: state === 'ready' ? replicas : 0, numberAvailable: ready, ...(ready < replicas ? { numberUnavailable: replicas - ready } : {}) };
    }
    if (kind === 'StatefulSet') {
      const rev = `${gen}`;
      return { observedGeneration: gen, replicas, readyReplicas: ready, currentReplicas: ready, updatedReplicas: state === 'ready' ? replicas : 0, availableReplicas: ready, currentRevision: state === 'ready' ? `rev-${rev}` : (prev?.currentRevision ?? `rev-${rev}`), updateRevision: `rev-${rev}` };
    }
    const progressing =
      state === 'deadline'
        ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet has timed out progressing.', lastUpdateTime: now, lastTransitionTime: now }
        : state === 'ready'
          ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet has successfully progressed.', lastUpdateTime: now, lastTransitionTime: now }
          : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet is progressing.', lastUpdateTime: now, lastTransitionTime: now };
    const available =
      ready >= replicas
        ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: now, lastTransitionTime: now }
        : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: now, lastTransitionTime: now };
    const st: Obj = { observedGeneration: gen, replicas, updatedReplicas: state === 'ready' || state === 'deadline' ? replicas : 0, readyReplicas: ready, availableReplicas: ready, conditions: [available, progressing] };
    if (ready < replicas) st.unavailableReplicas = replicas - ready;
    if (ready === 0) {
      delete st.readyReplicas;
      delete st.availableReplicas;
    }
    return st;
  }

  private ensurePods(s: Stored, pullFails = false): void {
    const o = s.obj;
    const ns = o.metadata.namespace;
    const template = o.spec?.template ?? {};
    const ownerRef = (x: Obj) => [{ apiVersion: x.apiVersion, kind: x.kind, name: x.metadata.name, uid: x.metadata.uid, controller: true, blockOwnerDeletion: true }];
    const podLabels = { ...(template.metadata?.labels ?? {}) };
    let podOwner: Obj = o;
    const replicas = o.kind === 'DaemonSet' ? 1 : (o.spec?.replicas ?? 1);
    if (o.kind === 'Deployment') {
      const hash = shortHash(template);
      const rsName = `${o.metadata.name}-${hash}`.slice(0, 253);
      const rsType = this.store.typeFor('apps/v1', 'ReplicaSet')!;
      // Old ReplicaSets go away with their pods (revision history is not modelled).
      for (const rs of this.store.list(rsType, ns)) {
        if (rs.obj.metadata.name !== rsName && (rs.obj.metadata.ownerReferences ?? []).some((r: Obj) => r.uid === o.metadata.uid)) this.store.delete(rs, {}, { manager: MANAGER });
      }
      const existing = this.store.get(rsType, ns, rsName);
      podLabels['pod-template-hash'] = hash;
      if (existing) podOwner = existing.obj;
      else {
        podOwner = this.store.create(rsType, ns, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rsName, namespace: ns, labels: podLabels, ownerReferences: ownerRef(o) }, spec: { replicas, selector: o.spec?.selector, template } }, { manager: MANAGER });
        this.event(o, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${replicas}`, 'deployment-controller');
      }
    }
    const podType = this.store.typeFor('v1', 'Pod')!;
    const have = this.store.list(podType, ns).filter((p) => (p.obj.metadata.ownerReferences ?? []).some((r: Obj) => r.uid === podOwner.metadata.uid));
    for (let i = have.length; i < replicas; i++) {
      const podName = o.kind === 'StatefulSet' ? `${o.metadata.name}-${i}` : `${podOwner.metadata.name}-${rand5()}`;
      if (this.store.get(podType, ns, podName)) continue;
      const pod = this.store.create(podType, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: ns, labels: podLabels, ownerReferences: ownerRef(podOwner) }, spec: clone(template.spec ?? { containers: [] }) }, { manager: MANAGER });
      const ps = this.store.get(podType, ns, podName)!;
      if (pullFails) {
        this.writeStatus(ps, {
          phase: 'Pending',
          conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
          containerStatuses: (pod.spec?.containers ?? []).map((c: Obj) => ({
            name: c.name,
            image: c.image,
            ready: false,
            started: false,
            restartCount: 0,
            state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } },
          })),
        });
        this.event(ps.obj, 'Warning', 'Failed', `Failed to pull image "${(pod.spec?.containers ?? [])[0]?.image}": dial tcp: lookup registry.invalid: no such host`, 'kubelet');
        continue;
      }
      for (const c of pod.spec?.containers ?? []) this.appendLog(ns, podName, c.name, [`${nowRfc3339()} container ${c.name} started (image ${c.image})`], false);
      this.writeStatus(ps, {
        phase: 'Running',
        podIP: `10.244.0.${(i % 250) + 2}`,
        conditions: [{ type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'True' }],
        containerStatuses: (pod.spec?.containers ?? []).map((c: Obj) => ({ name: c.name, image: c.image, ready: true, started: true, restartCount: 0, state: { running: { startedAt: nowRfc3339() } } })),
      });
    }
  }

  private runJob(key: string, job: Obj): void {
    const ns = job.metadata.namespace;
    const name = job.metadata.name;
    setImmediate(() => {
      const s = this.find('batch/v1', 'Job', ns, name);
      if (!s || !this.opts) return;
      const podType = this.store.typeFor('v1', 'Pod')!;
      const template = s.obj.spec?.template ?? {};
      const labels = { ...(template.metadata?.labels ?? {}), 'job-name': name, 'batch.kubernetes.io/job-name': name, 'controller-uid': s.obj.metadata.uid, 'batch.kubernetes.io/controller-uid': s.obj.metadata.uid };
      const podName = `${name}-${rand5()}`;
      this.store.create(podType, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: ns, labels, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: s.obj.metadata.uid, controller: true, blockOwnerDeletion: true }] }, spec: clone(template.spec ?? { containers: [] }) }, { manager: MANAGER });
      const ps = this.store.get(podType, ns, podName)!;
      this.event(s.obj, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, 'job-controller');
      const containers: Obj[] = ps.obj.spec?.containers ?? [];
      this.writeStatus(ps, { phase: 'Running', containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, ready: true, started: true, restartCount: 0, state: { running: { startedAt: nowRfc3339() } } })) });
      this.writeStatus(s, { active: 1, startTime: nowRfc3339(), ready: 1 });
      const jobKey = `${ns}/${name}`;
      const failMsg = this.failingJobs.get(jobKey);
      let outcome = this.behaviours.map((b) => b(s.obj, ps.obj)).find((x) => x) ?? { succeed: true, logs: [`job ${name} ran`], exitCode: 0 };
      if (failMsg !== undefined) outcome = { succeed: false, logs: [...outcome.logs.slice(0, 2), `error: ${failMsg}`], exitCode: 1, message: failMsg };
      const container = containers[0]?.name ?? 'main';
      this.appendLog(ns, podName, container, outcome.logs.slice(0, Math.ceil(outcome.logs.length / 2)), false);
      this.later(key, this.opts.jobAfterMs, () => {
        // A failure injected while the pod ran still counts.
        const lateFail = this.failingJobs.get(jobKey);
        if (lateFail !== undefined && outcome.succeed) outcome = { succeed: false, logs: [...outcome.logs.slice(Math.ceil(outcome.logs.length / 2), -1), `error: ${lateFail}`], exitCode: 1, message: lateFail };
        const js = this.find('batch/v1', 'Job', ns, name);
        const pod = this.store.get(podType, ns, podName);
        this.appendLog(ns, podName, container, outcome.logs.slice(Math.ceil(outcome.logs.length / 2)), true);
        const now = nowRfc3339();
        if (pod) {
          this.writeStatus(pod, {
            phase: outcome.succeed ? 'Succeeded' : 'Failed',
            containerStatuses: containers.map((c) => ({
              name: c.name,
              image: c.image,
              ready: false,
              started: false,
              restartCount: 0,
              state: { terminated: { exitCode: outcome.exitCode ?? (outcome.succeed ? 0 : 1), reason: outcome.succeed ? 'Completed' : 'Error', startedAt: now, finishedAt: now, ...(outcome.terminationMessage ? { message: outcome.terminationMessage } : {}) } },
            })),
          });
        }
        if (!js) return;
        const startTime = js.obj.status?.startTime ?? now;
        if (outcome.succeed) {
          this.event(js.obj, 'Normal', 'Completed', 'Job completed', 'job-controller');
          this.writeStatus(js, { startTime, completionTime: now, succeeded: 1, ready: 0, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now }, { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now }] });
        } else {
          this.event(js.obj, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'job-controller');
          this.writeStatus(js, { startTime, failed: 1, ready: 0, conditions: [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now, lastTransitionTime: now }, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now, lastTransitionTime: now }] });
        }
      });
    });
  }

  private bindPvc(o: Obj): void {
    const s = this.find('v1', 'PersistentVolumeClaim', o.metadata.namespace, o.metadata.name);
    if (!s) return;
    const next = clone(s.obj);
    next.spec = isObject(next.spec) ? next.spec : {};
    next.spec.volumeName ??= `pvc-${s.obj.metadata.uid}`;
    this.store.write(s, next, 'main', { manager: MANAGER });
    const cur = this.find('v1', 'PersistentVolumeClaim', o.metadata.namespace, o.metadata.name)!;
    this.event(cur.obj, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${cur.obj.spec.volumeName}`, 'persistentvolume-controller');
    this.writeStatus(cur, { phase: 'Bound', accessModes: cur.obj.spec?.accessModes ?? ['ReadWriteOnce'], capacity: { storage: cur.obj.spec?.resources?.requests?.storage ?? '1Gi' } });
  }
}
