// Builds: a component's image built by kaniko as a one-shot Job on the build cluster of an
// environment; status, logs and the pushed image digest are recorded for the component version.
//
// A build is a persisted state machine (pending → running → succeeded | failed). The process that
// follows it holds a lease on the row; when that process stops or dies, the lease runs out and a
// worker (another replica, or this one after a restart) takes the build over and re-attaches to
// its Job by name (a function of the build id), so a build is never submitted twice. Every build
// has a deadline (its timeout plus a grace for scheduling): past it, the build fails with a
// message saying what it was waiting for and its Job is deleted. Nothing stays "running".
import { hostname } from 'node:os';
import { InputError, NotFoundError, PlatformError, newId } from '@sreworks/kernel';
import { fromJson, nowIso, toJson, type Store } from '@sreworks/store';
import { BuildRunner, type BuildStatus } from '../builds/runner.js';
import { parseBuildSpec, type BuildSpec } from '../builds/spec.js';
import { KubernetesTarget } from '../targets/kubernetes.js';
import type { TargetResolver } from '../execute/types.js';
import type { AppService } from './apps.js';

export interface BuildRecord {
  id: string; app: string; component: string; env: string; spec: Record<string, unknown>; status: string; message: string | null;
  job: string | null; digest: string | null; image: string | null; logs: string; createdBy: string | null; createdAt: string; finishedAt: string | null;
  deadlineAt: string | null;
}

const toBuild = (r: any): BuildRecord => ({
  id: r.id, app: r.app_id, component: r.component, env: r.env_id, spec: fromJson(r.spec), status: r.status, message: r.message ?? null, job: r.job ?? null,
  digest: r.digest ?? null, image: r.image ?? null, logs: r.logs ?? '', createdBy: r.created_by ?? null, createdAt: r.created_at, finishedAt: r.finished_at ?? null,
  deadlineAt: r.deadline_at ?? null,
});

/** Plaintext fields of a team's build secret, by name (the store unseals them). */
export type TeamSecretResolver = (team: string, name: string) => Promise<Record<string, string> | undefined>;

export interface BuildServiceOptions {
  store: Store;
  apps: AppService;
  targets: TargetResolver;
  secrets?: TeamSecretResolver;
  log?: { info?(o: object, m?: string): void; error(o: object, m?: string): void };
  /** How long a follower's claim on a build lasts without renewal (default 30 s). */
  leaseMs?: number;
  /** Poll interval of the Job status and of the resumer (default 2 s). */
  pollMs?: number;
  /** Added to the build's timeoutSeconds for pod scheduling and image pulls (default 2 min). */
  deadlineGraceMs?: number;
}

const MAX_LOG = 256 * 1024;
const ACTIVE = ['pending', 'running'];

class LeaseLost extends Error {}

export class BuildService {
  readonly owner = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  private readonly followers = new Map<string, { done: Promise<void>; abort: AbortController }>();
  private timer?: NodeJS.Timeout;
  private stopping = false;
  private readonly store: Store;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly graceMs: number;

  constructor(private readonly o: BuildServiceOptions) {
    this.store = o.store;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.pollMs = o.pollMs ?? 2000;
    this.graceMs = o.deadlineGraceMs ?? 120_000;
  }

  private get db() {
    return this.store.db;
  }

  private leaseUntil(): string {
    return new Date(Date.now() + this.leaseMs).toISOString();
  }

  async start(appId: string, input: { component: string; env: string; build: unknown }, actor?: string): Promise<BuildRecord> {
    const app = await this.o.apps.getApp(appId);
    const model = this.o.apps.parse(app.spec);
    if (!model.components.some((c) => c.name === input.component)) {
      throw new InputError(`app ${app.name} has no component "${input.component}"`, { field: 'body.component' }, 'OAM_BUILD_COMPONENT');
    }
    const spec = parseBuildSpec(input.build);
    const env = await this.o.targets.environment(input.env);
    if (env.team !== app.team) throw new InputError('the build environment belongs to another team', { field: 'body.env' }, 'OAM_ENV_OTHER_TEAM');
    const target = await this.o.targets.target(env, { dryRun: false });
    if (!(target instanceof KubernetesTarget)) throw new InputError('builds run on a Kubernetes cluster; this environment is a GitOps target', { field: 'body.env' }, 'OAM_BUILD_CLUSTER');
    // Named secrets must exist in the team now, not when the build is half submitted.
    for (const [field, name] of [['build.pushSecret', spec.pushSecret], ['build.git.credentialsSecret', spec.git.credentialsSecret]] as const) {
      if (!name) continue;
      if (!this.o.secrets) throw new InputError(`${field} names secret "${name}" but no build secret store is configured`, { field }, 'OAM_BUILD_SECRET');
      if (!(await this.o.secrets(app.team, name))) throw new InputError(`${field}: build secret "${name}" does not exist in this team`, { field }, 'OAM_BUILD_SECRET');
    }
    const now = Date.now();
    const row = {
      id: newId(), app_id: appId, component: input.component, env_id: env.id, spec: toJson(spec), status: 'pending', message: 'submitting the build Job', job: null, digest: null, image: null, logs: '',
      created_by: actor ?? null, created_at: new Date(now).toISOString(), finished_at: null,
      lease_owner: this.owner, lease_until: this.leaseUntil(), deadline_at: new Date(now + spec.timeoutSeconds * 1000 + this.graceMs).toISOString(),
    };
    await this.db.insertInto('oam_build').values(row).execute();
    this.spawn(row.id);
    return toBuild(row);
  }

  /** Follow builds whose follower is gone (lease expired) now, then every pollMs. */
  startResuming(): void {
    this.stopping = false;
    const tick = () => {
      if (this.stopping) return;
      void this.resume()
        .catch((err) => this.o.log?.error({ err }, 'resuming builds failed'))
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    tick();
  }

  /** Claim every active build nobody follows and follow it. Returns the ids claimed. */
  async resume(): Promise<string[]> {
    const now = nowIso();
    const rows = await this.db.selectFrom('oam_build').select(['id', 'lease_owner', 'lease_until']).where('status', 'in', ACTIVE).orderBy('id').limit(50).execute();
    const claimed: string[] = [];
    for (const r of rows) {
      if (this.followers.has(r.id)) continue;
      if (r.lease_until && String(r.lease_until) > now && r.lease_owner !== this.owner) continue;
      const res = await this.db
        .updateTable('oam_build')
        .set({ lease_owner: this.owner, lease_until: this.leaseUntil() })
        .where('id', '=', r.id)
        .where('status', 'in', ACTIVE)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', this.owner)]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) continue;
      claimed.push(r.id);
      this.spawn(r.id, true);
    }
    return claimed;
  }

  private spawn(id: string, resumed = false): void {
    const abort = new AbortController();
    const done = this.follow(id, abort.signal, resumed)
      .catch((err) => this.o.log?.error({ err, build: id }, 'following the build failed'))
      .finally(() => this.followers.delete(id));
    this.followers.set(id, { done, abort });
  }

  /** Update the row only while we hold its lease. */
  private async update(id: string, v: Record<string, unknown>): Promise<boolean> {
    const r = await this.db.updateTable('oam_build').set(v).where('id', '=', id).where('lease_owner', '=', this.owner).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private async finish(id: string, status: 'succeeded' | 'failed', v: Record<string, unknown>): Promise<void> {
    await this.update(id, { ...v, status, finished_at: nowIso(), lease_owner: null, lease_until: null });
  }

  private async follow(id: string, signal: AbortSignal, resumed: boolean): Promise<void> {
    const row = await this.db.selectFrom('oam_build as b').innerJoin('oam_app as a', 'a.id', 'b.app_id').selectAll('b').select('a.team_id').where('b.id', '=', id).executeTakeFirst();
    if (!row) return;
    const spec = fromJson(row.spec) as BuildSpec;
    const deadline = Date.parse(String(row.deadline_at ?? '')) || Date.parse(String(row.created_at)) + spec.timeoutSeconds * 1000 + this.graceMs;
    let logs = '';
    let flushed = 0;
    let runner: BuildRunner | undefined;
    let job: { namespace: string; jobName: string } | undefined;
    try {
      const env = await this.o.targets.environment(row.env_id);
      const target = await this.o.targets.target(env, { dryRun: false });
      if (!(target instanceof KubernetesTarget)) throw new InputError('the build environment is no longer a Kubernetes cluster', { field: 'env' }, 'OAM_BUILD_CLUSTER');
      const team = String(row.team_id);
      runner = new BuildRunner({ target, namespace: env.namespace, resolveSecret: this.o.secrets ? (name) => this.o.secrets!(team, name) : undefined });
      if (Date.now() > deadline) {
        // The process was down past the deadline: find the Job only to remove it.
        throw new PlatformError('OAM_BUILD_TIMEOUT', 504, `build ${id} passed its deadline (${new Date(deadline).toISOString()}) while no process followed it; its Job was deleted`);
      }
      const h = await runner.submit(spec, { buildId: id });
      job = h;
      await this.update(id, {
        status: 'running',
        job: `${h.namespace}/${h.jobName}`,
        message: h.attached ? `${resumed ? 'resumed: ' : ''}re-attached to job ${h.namespace}/${h.jobName}` : `job ${h.namespace}/${h.jobName} submitted; waiting for the build pod`,
      });
      const r = await runner.follow(h, {
        pollMs: Math.min(this.pollMs, 1000),
        timeoutMs: Math.max(0, deadline - Date.now()),
        signal,
        onTick: async () => {
          // Renew the claim; if another process took the build over, stop following it here.
          if (!(await this.update(id, { lease_until: this.leaseUntil() }))) throw new LeaseLost();
        },
        onStatus: async (s: BuildStatus) => {
          await this.update(id, { message: `${s.message} (deadline ${new Date(deadline).toISOString()})` });
        },
        onLog: (lines) => {
          logs = (logs + lines.join('\n') + '\n').slice(-MAX_LOG);
          if (Date.now() - flushed > 1000) {
            flushed = Date.now();
            void this.update(id, { logs });
          }
        },
      });
      await this.cleanup(runner, h, id);
      await this.finish(id, r.phase, { message: r.message, digest: r.digest ?? null, image: r.imageWithDigest ?? null, logs: r.logs.slice(-MAX_LOG) });
    } catch (e) {
      if (e instanceof LeaseLost) return;
      if (signal.aborted) {
        // This process is stopping: hand the build over at once instead of waiting for the lease.
        await this.update(id, { lease_owner: null, lease_until: null, ...(logs ? { logs } : {}) });
        return;
      }
      const code = (e as { code?: string }).code;
      let message = (e as Error).message;
      if (code === 'OAM_BUILD_TIMEOUT' && runner) {
        const deleted = await this.deleteJob(runner, job, spec, id);
        if (deleted && !/deleted/.test(message)) message += `; job ${deleted} deleted`;
      }
      if (runner) await this.cleanup(runner, job ?? runner.jobRef(spec, id), id);
      await this.finish(id, 'failed', { message: message.slice(0, 4000), logs });
    }
  }

  /** The build's credentials leave the build cluster with the build. */
  private async cleanup(runner: BuildRunner, ref: { namespace: string; jobName: string }, id: string): Promise<void> {
    try {
      await runner.cleanup(ref);
    } catch (err) {
      this.o.log?.error({ err, build: id }, 'deleting the build credential secrets failed (the Job owns them; they go with it)');
    }
  }

  /** Remove a timed-out build's Job (found by its deterministic name) so nothing keeps running. */
  private async deleteJob(runner: BuildRunner, known: { namespace: string; jobName: string } | undefined, spec: BuildSpec, id: string): Promise<string | undefined> {
    const ref = known ?? runner.jobRef(spec, id);
    try {
      return (await runner.deleteJob(ref)) ? `${ref.namespace}/${ref.jobName}` : undefined;
    } catch (err) {
      this.o.log?.error({ err, build: id }, 'deleting the timed-out build job failed');
      return undefined;
    }
  }

  async get(id: string): Promise<BuildRecord> {
    const r = await this.db.selectFrom('oam_build').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`build ${id} not found`, 'OAM_BUILD_NOT_FOUND');
    return toBuild(r);
  }

  async teamOf(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('oam_build as b').innerJoin('oam_app as a', 'a.id', 'b.app_id').select('a.team_id').where('b.id', '=', id).executeTakeFirst())?.team_id;
  }

  async list(appId: string): Promise<BuildRecord[]> {
    return (await this.db.selectFrom('oam_build').selectAll().where('app_id', '=', appId).orderBy('id', 'desc').limit(100).execute()).map(toBuild);
  }

  /** Wait until every build this process follows has ended. */
  async idle(): Promise<void> {
    while (this.followers.size) await Promise.allSettled([...this.followers.values()].map((f) => f.done));
  }

  /** Stop following (builds keep running on their cluster; the next follower re-attaches). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (const f of this.followers.values()) f.abort.abort();
    await Promise.allSettled([...this.followers.values()].map((f) => f.done));
  }
}
