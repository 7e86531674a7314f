// Apps, revisions and deployments: the engine's persistent state. A deploy renders first (any
// error is reported before anything changes), stores the revision (spec, definition versions,
// parameters, rendered objects), then queues a deployment for the executor.
import { ConflictError, InputError, NotFoundError, newId } from '@sreworks/kernel';
import { clampLimit, decodeCursor, fromJson, nowIso, toJson, toPage, type Store } from '@sreworks/store';
import { parseApplication } from '../parse/parse.js';
import { renderApp, type RenderEngine, type RenderResult } from '../render/render.js';
import { toYaml, unifiedDiff } from '../targets/diff.js';
import { refKey, refOf } from '../targets/refs.js';
import type { DefinitionRegistry } from '../definitions/registry.js';
import { clusterKey, type DeployEnv, type StoredObject, type TargetResolver } from '../execute/types.js';

export interface AppRecord {
  id: string; team: string; name: string; description: string | null; format: string; spec: string; createdAt: string; updatedAt: string;
}
export interface RevisionRecord {
  id: string; app: string; number: number; env: string; definitions: { kind: string; name: string; version: string }[];
  parameters: Record<string, unknown>; objects: StoredObject[]; spec: string; createdBy: string | null; createdAt: string;
}
export interface DeploymentRecord {
  id: string; app: string; revision: string; revisionNumber: number | null; env: string; status: string; message: string | null; dryRun: boolean;
  rollbackOf: string | null; createdBy: string | null; createdAt: string; startedAt: string | null; finishedAt: string | null;
}

const toApp = (r: any): AppRecord => ({ id: r.id, team: r.team_id, name: r.name, description: r.description ?? null, format: r.format, spec: r.spec, createdAt: r.created_at, updatedAt: r.updated_at });
const toRevision = (r: any): RevisionRecord => ({
  id: r.id, app: r.app_id, number: Number(r.number), env: r.env_id, definitions: fromJson(r.definitions), parameters: fromJson(r.parameters),
  objects: fromJson(r.rendered), spec: r.spec, createdBy: r.created_by ?? null, createdAt: r.created_at,
});
const toDeployment = (r: any): DeploymentRecord => ({
  id: r.id, app: r.app_id, revision: r.revision_id, revisionNumber: r.number === undefined || r.number === null ? null : Number(r.number), env: r.env_id, status: r.status,
  message: r.message ?? null, dryRun: !!r.dry_run, rollbackOf: r.rollback_of ?? null, createdBy: r.created_by ?? null,
  createdAt: r.created_at, startedAt: r.started_at ?? null, finishedAt: r.finished_at ?? null,
});

export function renderEnvOf(env: DeployEnv | undefined, revision?: number) {
  if (!env) return undefined;
  return { namespace: env.namespace, cluster: env.clusterName, stage: env.stage, ...(revision ? { appRevisionNum: revision, appRevision: `v${revision}` } : {}) };
}

export function storedObjects(r: RenderResult): StoredObject[] {
  return r.objects.map((o) => ({
    component: o.component, trait: o.trait, stage: o.stage, role: o.role, reference: o.reference, cluster: o.cluster ?? r.cluster, ...(o.step ? { step: o.step } : {}), object: o.object,
  }));
}

/** Objects of one placement share names with the other placements' copies: key them by where they go. */
function placementKey(o: StoredObject, multi: boolean): string {
  const k = refKey(refOf(o.object));
  return multi ? `${o.step ? `${o.step}/` : ''}${o.cluster ?? ''}/${k}` : k;
}

function isMulti(objs: StoredObject[]): boolean {
  return new Set(objs.map((o) => `${o.step ?? ''}|${o.cluster ?? ''}`)).size > 1 || objs.some((o) => o.step);
}

export class AppService {
  constructor(
    private readonly store: Store,
    private readonly registry: DefinitionRegistry,
    private readonly targets: TargetResolver,
    private readonly engine: () => Promise<RenderEngine>,
    private readonly onQueued: () => void = () => {},
  ) {}
  private get db() {
    return this.store.db;
  }

  parse(spec: string, document = 'application') {
    return parseApplication(spec, { document });
  }

  async render(spec: string, env?: DeployEnv, revision?: number): Promise<RenderResult> {
    const model = this.parse(spec);
    return renderApp(model, { registry: this.registry, engine: await this.engine(), env: renderEnvOf(env, revision) });
  }

  async createApp(team: string, spec: string, description?: string): Promise<AppRecord> {
    const model = this.parse(spec);
    await this.render(spec); // unknown types, schema errors and template failures surface now
    const dup = await this.db.selectFrom('oam_app').select('id').where('team_id', '=', team).where('name', '=', model.name).executeTakeFirst();
    if (dup) throw new ConflictError(`app "${model.name}" already exists in this team; update it instead`, 'OAM_APP_EXISTS', { field: 'body.spec' });
    const now = nowIso();
    const row = { id: newId(), team_id: team, name: model.name, description: description ?? null, spec, format: model.source, created_at: now, updated_at: now };
    await this.db.insertInto('oam_app').values(row).execute();
    return toApp(row);
  }

  async updateApp(id: string, spec: string, description?: string): Promise<AppRecord> {
    const cur = await this.getApp(id);
    const model = this.parse(spec);
    if (model.name !== cur.name) throw new InputError(`the spec names app "${model.name}" but this is "${cur.name}"`, { field: 'body.spec' }, 'OAM_APP_RENAME');
    await this.render(spec);
    const v: Record<string, unknown> = { spec, format: model.source, updated_at: nowIso() };
    if (description !== undefined) v.description = description;
    await this.db.updateTable('oam_app').set(v).where('id', '=', id).execute();
    return this.getApp(id);
  }

  async getApp(id: string): Promise<AppRecord> {
    const r = await this.db.selectFrom('oam_app').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`app ${id} not found`, 'OAM_APP_NOT_FOUND');
    return toApp(r);
  }

  async teamOfApp(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('oam_app').select('team_id').where('id', '=', id).executeTakeFirst())?.team_id;
  }

  async teamOfDeployment(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('oam_deployment as d').innerJoin('oam_app as a', 'a.id', 'd.app_id').select('a.team_id').where('d.id', '=', id).executeTakeFirst())?.team_id;
  }

  async listApps(q: { teams?: string[]; limit?: number; cursor?: string }) {
    const limit = clampLimit(q.limit);
    const after = decodeCursor(q.cursor);
    if (q.teams && q.teams.length === 0) return { items: [], nextCursor: null };
    let sel = this.db.selectFrom('oam_app').selectAll().orderBy('id').limit(limit + 1);
    if (q.teams) sel = sel.where('team_id', 'in', q.teams);
    if (after !== undefined) sel = sel.where('id', '>', String(after));
    const p = toPage(await sel.execute(), limit, (r: any) => r.id);
    return { items: p.items.map(toApp), nextCursor: p.nextCursor };
  }

  async deleteApp(id: string): Promise<void> {
    await this.getApp(id);
    const active = await this.db.selectFrom('oam_deployment').select('id').where('app_id', '=', id).where('status', 'in', ['pending', 'running', 'suspended']).executeTakeFirst();
    if (active) throw new ConflictError(`deployment ${active.id} is still in progress; cancel it first`, 'OAM_APP_BUSY');
    await this.db.deleteFrom('oam_app').where('id', '=', id).execute();
  }

  /** Render for the environment, store the revision and queue the deployment. */
  async deploy(appId: string, envId: string, opts: { dryRun?: boolean; actor?: string } = {}): Promise<DeploymentRecord> {
    const app = await this.getApp(appId);
    const env = await this.targets.environment(envId);
    if (env.team !== app.team) throw new InputError('the environment belongs to another team', { field: 'body.env' }, 'OAM_ENV_OTHER_TEAM');
    const last = await this.db.selectFrom('oam_revision').select((eb) => eb.fn.max('number').as('n')).where('app_id', '=', appId).executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
    const result = await this.render(app.spec, env, number);
    // Every cluster a topology places the app on must be reachable by name before anything changes.
    const others = new Set(result.objects.map((o) => clusterKey(o.cluster, env)).filter(Boolean));
    for (const clusterName of others) await this.targets.target(env, { dryRun: true, clusterName });
    const rev = {
      id: newId(), app_id: appId, number, env_id: envId, spec: app.spec, definitions: toJson(result.definitions),
      parameters: toJson(this.parse(app.spec).globals ?? {}), rendered: toJson(storedObjects(result)), created_by: opts.actor ?? null, created_at: nowIso(),
    };
    const dep = { id: newId(), app_id: appId, revision_id: rev.id, env_id: envId, status: 'pending', message: 'queued', dry_run: opts.dryRun ? 1 : 0, rollback_of: null, created_by: opts.actor ?? null, created_at: nowIso() };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('oam_revision').values(rev).execute();
      await tx.insertInto('oam_deployment').values(dep).execute();
    });
    this.onQueued();
    return this.getDeployment(dep.id);
  }

  /** Deploy a kept revision again, exactly as it was rendered. */
  async rollback(appId: string, revisionNumber: number, envId: string | undefined, opts: { actor?: string } = {}): Promise<DeploymentRecord> {
    const rev = await this.getRevision(appId, revisionNumber);
    const env = envId ?? rev.env;
    const current = await this.db.selectFrom('oam_deployment').select('id').where('app_id', '=', appId).where('env_id', '=', env).where('status', '=', 'succeeded').orderBy('id', 'desc').executeTakeFirst();
    const dep = { id: newId(), app_id: appId, revision_id: rev.id, env_id: env, status: 'pending', message: `rollback to revision ${revisionNumber}`, dry_run: 0, rollback_of: current?.id ?? null, created_by: opts.actor ?? null, created_at: nowIso() };
    await this.db.insertInto('oam_deployment').values(dep).execute();
    this.onQueued();
    return this.getDeployment(dep.id);
  }

  async listRevisions(appId: string) {
    const rows = await this.db.selectFrom('oam_revision').select(['id', 'app_id', 'number', 'env_id', 'definitions', 'created_by', 'created_at']).where('app_id', '=', appId).orderBy('number', 'desc').execute();
    return rows.map((r: any) => ({ id: r.id, app: r.app_id, number: Number(r.number), env: r.env_id, definitions: fromJson(r.definitions), createdBy: r.created_by ?? null, createdAt: r.created_at }));
  }

  async getRevision(appId: string, number: number): Promise<RevisionRecord> {
    const r = await this.db.selectFrom('oam_revision').selectAll().where('app_id', '=', appId).where('number', '=', number).executeTakeFirst();
    if (!r) throw new NotFoundError(`app ${appId} has no revision ${number}`, 'OAM_REVISION_NOT_FOUND', { field: 'revision' });
    return toRevision(r);
  }

  async getRevisionById(id: string): Promise<RevisionRecord> {
    const r = await this.db.selectFrom('oam_revision').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`revision ${id} not found`, 'OAM_REVISION_NOT_FOUND');
    return toRevision(r);
  }

  /** Object-by-object diff of two revisions (rendered YAML), plus the spec diff. */
  async diffRevisions(appId: string, from: number, to: number) {
    const [a, b] = await Promise.all([this.getRevision(appId, from), this.getRevision(appId, to)]);
    const multi = isMulti(a.objects) || isMulti(b.objects);
    const index = (objs: StoredObject[]) => new Map(objs.filter((o) => !o.reference).map((o) => [placementKey(o, multi), o]));
    const ia = index(a.objects);
    const ib = index(b.objects);
    const keys = [...new Set([...ia.keys(), ...ib.keys()])].sort();
    const objects = keys.map((k) => {
      const x = ia.get(k);
      const y = ib.get(k);
      const change = !x ? 'added' : !y ? 'removed' : toYaml(x.object, true) === toYaml(y.object, true) ? 'unchanged' : 'changed';
      return { key: k, component: (y ?? x)!.component, change, diff: change === 'unchanged' ? '' : unifiedDiff(x ? toYaml(x.object, true) : '', y ? toYaml(y.object, true) : '', `v${from}`, `v${to}`) };
    });
    const defs = (r: RevisionRecord) => new Map(r.definitions.map((d) => [`${d.kind}/${d.name}`, d.version]));
    const da = defs(a);
    const db = defs(b);
    const definitions = [...new Set([...da.keys(), ...db.keys()])].filter((k) => da.get(k) !== db.get(k)).map((k) => ({ definition: k, from: da.get(k) ?? null, to: db.get(k) ?? null }));
    return { from, to, spec: a.spec === b.spec ? '' : unifiedDiff(a.spec, b.spec, `v${from}`, `v${to}`), definitions, objects };
  }

  /** Latest revision deployed to the environment against the live cluster. */
  async liveDiff(appId: string, envId: string) {
    const app = await this.getApp(appId);
    const env = await this.targets.environment(envId);
    const result = await this.render(app.spec, env);
    const target = await this.targets.target(env, { dryRun: false });
    // The environment's own cluster (other placements are diffed on their clusters' targets).
    const objects = [...new Map(result.objects.filter((o) => !o.reference && !clusterKey(o.cluster, env)).map((o) => [refKey(refOf(o.object)), o.object])).values()];
    return target.liveDiff(objects, { app: app.name, env: env.name, namespace: env.namespace, cluster: env.clusterName, revision: 'live' });
  }

  async listDeployments(q: { app?: string; teams?: string[]; limit?: number; cursor?: string }) {
    const limit = clampLimit(q.limit);
    const after = decodeCursor(q.cursor);
    if (q.teams && q.teams.length === 0) return { items: [], nextCursor: null };
    let sel = this.db.selectFrom('oam_deployment as d').innerJoin('oam_app as a', 'a.id', 'd.app_id').leftJoin('oam_revision as r', 'r.id', 'd.revision_id')
      .selectAll('d').select('r.number').orderBy('d.id', 'desc').limit(limit + 1);
    if (q.app) sel = sel.where('d.app_id', '=', q.app);
    if (q.teams) sel = sel.where('a.team_id', 'in', q.teams);
    if (after !== undefined) sel = sel.where('d.id', '<', String(after));
    const p = toPage(await sel.execute(), limit, (r: any) => r.id);
    return { items: p.items.map(toDeployment), nextCursor: p.nextCursor };
  }

  async getDeployment(id: string): Promise<DeploymentRecord> {
    const r = await this.db.selectFrom('oam_deployment as d').leftJoin('oam_revision as r', 'r.id', 'd.revision_id').selectAll('d').select('r.number').where('d.id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`deployment ${id} not found`, 'OAM_DEPLOYMENT_NOT_FOUND');
    return toDeployment(r);
  }

  /** The status tree: deployment, nodes (components, traits, steps) with health, and events. */
  async deploymentStatus(id: string) {
    const deployment = await this.getDeployment(id);
    const nodes = await this.db.selectFrom('oam_deployment_node').selectAll().where('deployment_id', '=', id).execute();
    const events = await this.db.selectFrom('oam_deployment_event').selectAll().where('deployment_id', '=', id).orderBy('id').execute();
    return {
      deployment,
      nodes: nodes.map((n: any) => ({ id: n.node_id, kind: n.kind, name: n.name, type: n.type, status: n.status, message: n.message ?? null, objects: fromJson(n.objects) ?? [], startedAt: n.started_at ?? null, finishedAt: n.finished_at ?? null })),
      events: events.map((e: any) => ({ at: e.at, level: e.level, node: e.node_id ?? null, message: e.message })),
    };
  }

  async cancel(id: string): Promise<DeploymentRecord> {
    const d = await this.getDeployment(id);
    if (!['pending', 'running', 'suspended'].includes(d.status)) throw new ConflictError(`deployment is ${d.status}, nothing to cancel`, 'OAM_DEPLOYMENT_DONE');
    await this.db.updateTable('oam_deployment').set({ status: 'canceled', message: 'canceled by user', finished_at: nowIso() }).where('id', '=', id).execute();
    return this.getDeployment(id);
  }

  /** Continue a deployment held by a suspend step. */
  async resume(id: string): Promise<DeploymentRecord> {
    const d = await this.getDeployment(id);
    if (d.status !== 'suspended') throw new ConflictError(`deployment is ${d.status}, not suspended`, 'OAM_DEPLOYMENT_NOT_SUSPENDED');
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('oam_deployment_node').set({ status: 'succeeded', message: 'resumed', finished_at: nowIso() }).where('deployment_id', '=', id).where('status', '=', 'waiting').execute();
      await tx.updateTable('oam_deployment').set({ status: 'pending', message: 'resumed' }).where('id', '=', id).execute();
    });
    this.onQueued();
    return this.getDeployment(id);
  }
}
