// Submit a kaniko build to a build cluster through the Kubernetes target's client, follow it
// (status and pod logs through the API) and record the image digest kaniko reports.

import { randomUUID } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConflictError, InputError, PlatformError } from '@sreworks/kernel';
import type { KubernetesTarget } from '../targets/kubernetes.js';
import type { Live } from '../targets/kube-client.js';
import { buildIdLabel, imageWithDigest, KANIKO_CONTAINER, LABEL_BUILD_ID, parseDigest, renderKanikoJob, type GitCredentials, type RegistryCredentials } from './kaniko.js';
import { parseBuildSpec, type BuildSpec } from './spec.js';

/** Resolve a sealed secret name to its plaintext fields (the caller unseals with the kernel Sealer). */
export type SecretResolver = (name: string) => Promise<Record<string, string> | undefined>;

export interface BuildRunnerOptions {
  target: KubernetesTarget;
  /** Namespace on the build cluster when the spec names none. */
  namespace: string;
  resolveSecret?: SecretResolver;
}

export interface BuildHandle {
  buildId: string;
  jobName: string;
  namespace: string;
  image: string;
  spec: BuildSpec;
  /** The Job's uid on the build cluster. */
  uid?: string;
  /** True when the Job already existed (a resumed build), false when this call created it. */
  attached?: boolean;
}

export type BuildPhase = 'pending' | 'running' | 'succeeded' | 'failed';

export interface BuildStatus {
  phase: BuildPhase;
  message: string;
  pod?: string;
  digest?: string;
}

export interface BuildResult extends BuildHandle {
  phase: 'succeeded' | 'failed';
  message: string;
  digest?: string;
  /** registry/name@sha256:… — what a component version should pin. */
  imageWithDigest?: string;
  logs: string;
  durationMs: number;
}

export interface FollowOptions {
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** New log lines as they appear. */
  onLog?: (lines: string[]) => void;
  /** Each observed status while the build is not finished (what it waits for). */
  onStatus?: (s: BuildStatus) => void | Promise<void>;
  /** Called once per poll; throwing stops following (e.g. the lease on the build was lost). */
  onTick?: () => void | Promise<void>;
}

function gitCredentials(raw: Record<string, string> | undefined): GitCredentials | undefined {
  if (!raw) return undefined;
  if (!raw.username || !raw.password) throw new InputError('git credentials secret must hold username and password', { field: 'build.git.credentialsSecret' }, 'OAM_BUILD_SECRET');
  return { username: raw.username, password: raw.password };
}

export class BuildRunner {
  private readonly t: KubernetesTarget;
  private readonly namespace: string;
  private readonly resolveSecret?: SecretResolver;

  constructor(opts: BuildRunnerOptions) {
    this.t = opts.target;
    this.namespace = opts.namespace;
    this.resolveSecret = opts.resolveSecret;
  }

  private async secret(name: string | undefined, field: string): Promise<Record<string, string> | undefined> {
    if (!name) return undefined;
    if (!this.resolveSecret) throw new InputError(`${field} names secret "${name}" but no secret resolver is configured`, { field }, 'OAM_BUILD_SECRET');
    const v = await this.resolveSecret(name);
    if (!v) throw new InputError(`${field}: secret "${name}" does not exist`, { field }, 'OAM_BUILD_SECRET');
    return v;
  }

  /**
   * Submit the build, or re-attach to it when its Job already exists. The Job name is a function
   * of the build id, so a process that restarts after (or while) submitting finds the same Job
   * and never starts the build twice. Secrets first (so the pod never waits for them), then the
   * Job, then owner links.
   */
  async submit(input: unknown, opts: { buildId?: string } = {}): Promise<BuildHandle> {
    const spec = parseBuildSpec(input);
    const buildId = opts.buildId ?? randomUUID();
    const c = this.t.client;
    const fm = this.t.fieldManager;
    const { jobName, namespace } = renderKanikoJob(spec, { buildId, namespace: this.namespace });
    const jobRef = { apiVersion: 'batch/v1', kind: 'Job', namespace, name: jobName };
    const handle = (job: Live, attached: boolean): BuildHandle => {
      if (job.metadata?.labels?.[LABEL_BUILD_ID] !== buildIdLabel(buildId)) {
        throw new ConflictError(`Job ${namespace}/${jobName} on the build cluster belongs to another build (${job.metadata?.labels?.[LABEL_BUILD_ID] ?? 'no build id'})`, 'OAM_BUILD_JOB_CONFLICT', { field: 'build.name' });
      }
      return { buildId, jobName, namespace, image: spec.image, spec, uid: job.metadata?.uid, attached };
    };
    const existing = await c.get(jobRef);
    if (existing) return handle(existing, true);

    const registry = (await this.secret(spec.pushSecret, 'build.pushSecret')) as RegistryCredentials | undefined;
    const git = gitCredentials(await this.secret(spec.git.credentialsSecret, 'build.git.credentialsSecret'));
    const r = renderKanikoJob(spec, { buildId, namespace: this.namespace, registry, git });
    if (!(await c.get({ apiVersion: 'v1', kind: 'Namespace', name: r.namespace }))) {
      await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.namespace } }, { fieldManager: fm, force: false }, { apiVersion: 'v1', kind: 'Namespace', name: r.namespace });
    }
    for (const s of r.secrets) await c.apply(s as KubernetesObject, { fieldManager: fm, force: true }, { apiVersion: 'v1', kind: 'Secret', namespace: r.namespace, name: s.metadata.name });
    let job: Live;
    try {
      job = await c.create(r.job as KubernetesObject, jobRef, fm);
    } catch (e) {
      // Another follower created it between our GET and POST: attach to that one.
      if (e instanceof PlatformError && e.status === 409) {
        const now = await c.get(jobRef);
        if (now) return handle(now, true);
      }
      throw e;
    }
    // Tie the Secrets to the Job so they go when the Job's TTL removes it (cleanup() removes them sooner).
    const owner = [{ apiVersion: 'batch/v1', kind: 'Job', name: r.jobName, uid: job.metadata.uid, blockOwnerDeletion: false, controller: false }];
    for (const s of r.secrets) {
      await c.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: s.metadata.name, namespace: r.namespace, ownerReferences: owner } } as KubernetesObject, { fieldManager: `${fm}-build-owner`, force: true }, { apiVersion: 'v1', kind: 'Secret', namespace: r.namespace, name: s.metadata.name });
    }
    return handle(job, false);
  }

  private async pods(h: BuildHandle): Promise<Live[]> {
    const pods = await this.t.client.list('v1', 'Pod', h.namespace, `job-name=${h.jobName}`);
    return pods.sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)));
  }

  async status(h: BuildHandle): Promise<BuildStatus> {
    const job = await this.t.client.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: h.namespace, name: h.jobName });
    if (!job) return { phase: 'failed', message: `build job ${h.namespace}/${h.jobName} no longer exists` };
    const pods = await this.pods(h);
    const pod = pods[pods.length - 1];
    const term = (pod?.status?.containerStatuses ?? []).find((s: Live) => s.name === KANIKO_CONTAINER)?.state?.terminated;
    const cond = (type: string) => (job.status?.conditions ?? []).find((c: Live) => c.type === type && c.status === 'True');
    const failed = cond('Failed');
    if (failed) return { phase: 'failed', message: `kaniko job failed: ${failed.reason ?? ''}${failed.message ? `: ${failed.message}` : ''}${term?.exitCode ? ` (exit code ${term.exitCode})` : ''}`, pod: pod?.metadata?.name };
    if (cond('Complete')) {
      const digest = parseDigest(term?.message);
      if (!digest) return { phase: 'failed', message: 'kaniko finished but wrote no image digest to its termination message (--digest-file)', pod: pod?.metadata?.name };
      return { phase: 'succeeded', message: `pushed ${imageWithDigest(h.image, digest)}`, pod: pod?.metadata?.name, digest };
    }
    if (!pod || pod.status?.phase === 'Pending') {
      const waiting = (pod?.status?.containerStatuses ?? [])[0]?.state?.waiting;
      return { phase: 'pending', message: waiting ? `pod waiting: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` : 'waiting for the build pod to start', pod: pod?.metadata?.name };
    }
    return { phase: 'running', message: `kaniko running in pod ${pod.metadata.name}`, pod: pod.metadata.name };
  }

  async logs(h: BuildHandle, pod?: string): Promise<string> {
    const name = pod ?? (await this.pods(h)).pop()?.metadata?.name;
    if (!name) return '';
    try {
      return await this.t.client.podLog(h.namespace, name, KANIKO_CONTAINER);
    } catch (e) {
      if (e instanceof PlatformError && e.status === 400) return ''; // container not started yet
      throw e;
    }
  }

  /** Follow until the build ends; resolves with the result (failed builds resolve too), rejects on timeout/abort. */
  async follow(h: BuildHandle, opts: FollowOptions = {}): Promise<BuildResult> {
    const timeoutMs = opts.timeoutMs ?? h.spec.timeoutSeconds * 1000 + 60_000;
    const pollMs = opts.pollMs ?? 2000;
    const started = Date.now();
    let seen = 0;
    let last: BuildStatus = { phase: 'pending', message: 'not observed yet' };
    const emit = async (pod?: string) => {
      if (!opts.onLog || !pod) return '';
      const text = await this.logs(h, pod);
      const lines = text.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '');
      if (lines.length > seen) opts.onLog(lines.slice(seen));
      seen = Math.max(seen, lines.length);
      return text;
    };
    for (;;) {
      if (opts.signal?.aborted) throw new PlatformError('OAM_BUILD_ABORTED', 409, `following build ${h.buildId} (${h.namespace}/${h.jobName}) was aborted`);
      await opts.onTick?.();
      const prev = last;
      last = await this.status(h);
      if (last.phase === 'running') await emit(last.pod);
      if ((last.phase === 'pending' || last.phase === 'running') && (last.phase !== prev.phase || last.message !== prev.message)) await opts.onStatus?.(last);
      if (last.phase === 'succeeded' || last.phase === 'failed') {
        await emit(last.pod);
        const logs = await this.logs(h, last.pod);
        const tail = logs.trim().split('\n').slice(-5).join('\n');
        return {
          ...h,
          phase: last.phase,
          message: last.phase === 'failed' && tail ? `${last.message}\nlast log lines:\n${tail}` : last.message,
          digest: last.digest,
          imageWithDigest: last.digest ? imageWithDigest(h.image, last.digest) : undefined,
          logs,
          durationMs: Date.now() - started,
        };
      }
      if (Date.now() - started > timeoutMs) {
        throw new PlatformError('OAM_BUILD_TIMEOUT', 504, `timed out after ${Math.round((Date.now() - started) / 1000)} s waiting for build ${h.buildId}: Job ${h.namespace}/${h.jobName} is ${last.phase} (${last.message})`);
      }
      await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(10, timeoutMs - (Date.now() - started)))));
    }
  }

  /**
   * Delete the credential Secrets the build mounted (docker config, git) once it has ended;
   * they are owned by the Job too, but should not outlive the build by the Job's TTL.
   */
  async cleanup(h: Pick<BuildHandle, 'namespace' | 'jobName'>): Promise<string[]> {
    const gone: string[] = [];
    for (const name of [`${h.jobName}-docker`, `${h.jobName}-git`]) {
      if (await this.t.client.delete({ apiVersion: 'v1', kind: 'Secret', namespace: h.namespace, name })) gone.push(name);
    }
    return gone;
  }

  /** Where the build's Job is (or will be): its name is a function of the build id. */
  jobRef(input: unknown, buildId: string): { namespace: string; jobName: string } {
    const { jobName, namespace } = renderKanikoJob(parseBuildSpec(input), { buildId, namespace: this.namespace });
    return { jobName, namespace };
  }

  /** Remove the build's Job (and its pod) from the build cluster, e.g. after a timeout. */
  async deleteJob(h: Pick<BuildHandle, 'namespace' | 'jobName'>): Promise<boolean> {
    return this.t.client.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace: h.namespace, name: h.jobName }, 'Background');
  }

  async run(input: unknown, opts: FollowOptions & { buildId?: string } = {}): Promise<BuildResult> {
    return this.follow(await this.submit(input, opts), opts);
  }
}
