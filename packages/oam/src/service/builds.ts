// Builds: a component's image built by kaniko as a one-shot Job on the build cluster of an
// environment; status, logs and the pushed image digest are recorded for the component version.
// A build runs in the process that started it; after a restart it is marked failed (lost).
import { InputError, NotFoundError, newId } from '@sreworks/kernel';
import { fromJson, nowIso, toJson, type Store } from '@sreworks/store';
import { BuildRunner, type SecretResolver } from '../builds/runner.js';
import { parseBuildSpec } from '../builds/spec.js';
import { KubernetesTarget } from '../targets/kubernetes.js';
import type { TargetResolver } from '../execute/types.js';
import type { AppService } from './apps.js';

export interface BuildRecord {
  id: string; app: string; component: string; env: string; spec: Record<string, unknown>; status: string; message: string | null;
  job: string | null; digest: string | null; image: string | null; logs: string; createdBy: string | null; createdAt: string; finishedAt: string | null;
}

const toBuild = (r: any): BuildRecord => ({
  id: r.id, app: r.app_id, component: r.component, env: r.env_id, spec: fromJson(r.spec), status: r.status, message: r.message ?? null, job: r.job ?? null,
  digest: r.digest ?? null, image: r.image ?? null, logs: r.logs ?? '', createdBy: r.created_by ?? null, createdAt: r.created_at, finishedAt: r.finished_at ?? null,
});

const MAX_LOG = 256 * 1024;

export class BuildService {
  private readonly active = new Set<Promise<void>>();
  constructor(
    private readonly store: Store,
    private readonly apps: AppService,
    private readonly targets: TargetResolver,
    private readonly secrets?: SecretResolver,
    private readonly log?: { error(o: object, m?: string): void },
  ) {}

  /** Builds left running by a previous process cannot be followed any more. */
  async markLost(): Promise<void> {
    await this.store.db.updateTable('oam_build').set({ status: 'failed', message: 'the process following this build stopped; start it again', finished_at: nowIso() }).where('status', 'in', ['pending', 'running']).execute();
  }

  async start(appId: string, input: { component: string; env: string; build: unknown }, actor?: string): Promise<BuildRecord> {
    const app = await this.apps.getApp(appId);
    const model = this.apps.parse(app.spec);
    if (!model.components.some((c) => c.name === input.component)) {
      throw new InputError(`app ${app.name} has no component "${input.component}"`, { field: 'body.component' }, 'OAM_BUILD_COMPONENT');
    }
    const spec = parseBuildSpec(input.build);
    const env = await this.targets.environment(input.env);
    if (env.team !== app.team) throw new InputError('the build environment belongs to another team', { field: 'body.env' }, 'OAM_ENV_OTHER_TEAM');
    const target = await this.targets.target(env, { dryRun: false });
    if (!(target instanceof KubernetesTarget)) throw new InputError('builds run on a Kubernetes cluster; this environment is a GitOps target', { field: 'body.env' }, 'OAM_BUILD_CLUSTER');
    const row = { id: newId(), app_id: appId, component: input.component, env_id: env.id, spec: toJson(spec), status: 'pending', message: 'submitting', job: null, digest: null, image: null, logs: '', created_by: actor ?? null, created_at: nowIso(), finished_at: null };
    await this.store.db.insertInto('oam_build').values(row).execute();
    const runner = new BuildRunner({ target, namespace: env.namespace, resolveSecret: this.secrets });
    const p = this.follow(row.id, runner, spec).catch((err) => this.log?.error({ err, build: row.id }, 'build failed'));
    this.active.add(p);
    void p.finally(() => this.active.delete(p));
    return toBuild(row);
  }

  private async follow(id: string, runner: BuildRunner, spec: unknown) {
    const db = this.store.db;
    let logs = '';
    let flushed = 0;
    try {
      const h = await runner.submit(spec, { buildId: id });
      await db.updateTable('oam_build').set({ status: 'running', message: `job ${h.namespace}/${h.jobName} submitted`, job: `${h.namespace}/${h.jobName}` }).where('id', '=', id).execute();
      const r = await runner.follow(h, {
        onLog: (lines) => {
          logs = (logs + lines.join('\n') + '\n').slice(-MAX_LOG);
          if (Date.now() - flushed > 1000) {
            flushed = Date.now();
            void db.updateTable('oam_build').set({ logs }).where('id', '=', id).execute();
          }
        },
      });
      await db.updateTable('oam_build').set({ status: r.phase, message: r.message, digest: r.digest ?? null, image: r.imageWithDigest ?? null, logs: r.logs.slice(-MAX_LOG), finished_at: nowIso() }).where('id', '=', id).execute();
    } catch (e) {
      await db.updateTable('oam_build').set({ status: 'failed', message: (e as Error).message.slice(0, 4000), logs, finished_at: nowIso() }).where('id', '=', id).execute();
    }
  }

  async get(id: string): Promise<BuildRecord> {
    const r = await this.store.db.selectFrom('oam_build').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`build ${id} not found`, 'OAM_BUILD_NOT_FOUND');
    return toBuild(r);
  }

  async teamOf(id: string): Promise<string | undefined> {
    return (await this.store.db.selectFrom('oam_build as b').innerJoin('oam_app as a', 'a.id', 'b.app_id').select('a.team_id').where('b.id', '=', id).executeTakeFirst())?.team_id;
  }

  async list(appId: string): Promise<BuildRecord[]> {
    return (await this.store.db.selectFrom('oam_build').selectAll().where('app_id', '=', appId).orderBy('id', 'desc').limit(100).execute()).map(toBuild);
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.active]);
  }
}
