// AppManager API under /api/oam: apps, render, deployments (status tree, events), revisions
// (diff, rollback), live diff, definitions (list, add/upgrade, disable, history, plugin import).
import type { FastifyPluginAsync } from 'fastify';
import { parseAllDocuments } from 'yaml';
import { InputError, errorResponses, pageSchema, toSchema, z } from '@sreworks/kernel';
import { definitionsFromYaml } from './definitions/loader.js';
import { importPlugin } from './definitions/plugin.js';
import { DEFINITION_KINDS, type Definition, type DefinitionKind } from './definitions/types.js';
import { BUILD_SECRET_KINDS, BuildSecretName, GitSecretData, RegistrySecretData, type BuildSecretKind } from './service/build-secrets.js';

const KINDS = Object.values(DEFINITION_KINDS) as DefinitionKind[];
import type { OamEngine } from './engine.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const Id = z.string().min(1).max(64);
const IdParams = toSchema(z.strictObject({ id: Id }));
const ListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(512).optional() });
const App = z.object({ id: z.string(), team: z.string(), name: z.string(), description: z.string().nullable(), format: z.string(), spec: z.string(), createdAt: z.string(), updatedAt: z.string() });
const Deployment = z.object({
  id: z.string(), app: z.string(), revision: z.string(), revisionNumber: z.number().nullable(), env: z.string(), status: z.string(), message: z.string().nullable(),
  dryRun: z.boolean(), rollbackOf: z.string().nullable(), createdBy: z.string().nullable(), createdAt: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(),
});
const Obj = z.record(z.string(), z.any());
const Rendered = z.object({
  app: z.string(), namespace: z.string(), cluster: z.string(), environments: z.array(z.string()),
  objects: z.array(z.object({ component: z.string(), trait: z.string().optional(), stage: z.string(), role: z.string(), cluster: z.string().optional(), step: z.string().optional(), object: Obj })),
  placements: z.array(z.object({ step: z.string().optional(), cluster: z.string(), namespace: z.string(), overrides: z.array(z.string()), components: z.array(z.string()), objects: z.number() })),
  definitions: z.array(z.object({ kind: z.string(), name: z.string(), version: z.string() })),
  plan: z.object({ nodes: z.array(Obj), edges: z.array(Obj), layers: z.array(z.array(z.string())), componentOrder: z.array(z.string()) }),
});
const DefinitionOut = z.object({ kind: z.string(), name: z.string(), version: z.string(), description: z.string(), disabled: z.boolean(), source: z.string(), parameter: Obj, appliesToWorkloads: z.array(z.string()), stage: z.string(), hasTemplate: z.boolean(), forms: Obj });
const Spec = z.string().min(1).max(2_000_000).describe('Application (core.oam.dev/v1beta1) or ApplicationConfiguration (v1alpha2) as YAML or JSON');
const page = pageSchema;
const kindOf = (k: string): DefinitionKind => {
  if (!(KINDS as string[]).includes(k)) throw new InputError(`kind must be one of ${KINDS.join(', ')}`, { field: 'params.kind' }, 'OAM_DEF_KIND');
  return k as DefinitionKind;
};
const defOut = (d: Definition) => ({ kind: d.kind, name: d.name, version: d.version, description: d.description, disabled: d.disabled, source: d.source, parameter: d.parameter, appliesToWorkloads: d.appliesToWorkloads, stage: d.stage, hasTemplate: !!d.template, forms: d.forms });

export const oamRoutes: FastifyPluginAsync<{ oam: OamEngine }> = async (app, { oam }) => {
  const { apps, registry } = oam;
  const appTeam = (req: any) => apps.teamOfApp((req.params as { id: string }).id);
  const depTeam = (req: any) => apps.teamOfDeployment((req.params as { id: string }).id);
  const visible = (req: any) => req.auth!.teamsWith('read') as string[] | undefined;
  const tags = ['oam'];

  app.get('/oam/apps', { config: { permission: 'app.read' }, schema: { tags, summary: 'OAM apps of your teams', querystring: toSchema(ListQuery), response: { 200: page(App), ...errors } } },
    async (req) => apps.listApps({ ...(req.query as any), teams: visible(req) }));

  app.post('/oam/apps', {
    config: { permission: 'app.write', team: (req: any) => req.body?.team },
    schema: { tags, summary: 'Create an app from OAM YAML (validated by rendering it)', body: toSchema(z.strictObject({ team: Id, spec: Spec, description: z.string().max(2000).optional() })), response: { 201: toSchema(App, 'output'), ...errors } },
  }, async (req, reply) => {
    const b = req.body as { team: string; spec: string; description?: string };
    const a = await apps.createApp(b.team, b.spec, b.description);
    req.auditTarget = `app/${a.name}`;
    return reply.status(201).send(a);
  });

  app.get('/oam/apps/:id', { config: { permission: 'app.read', team: appTeam }, schema: { tags, summary: 'An app with its spec', params: IdParams, response: { 200: toSchema(App, 'output'), ...errors } } },
    async (req) => apps.getApp((req.params as { id: string }).id));

  app.put('/oam/apps/:id', {
    config: { permission: 'app.write', team: appTeam },
    schema: { tags, summary: 'Replace the app spec (takes effect on the next deploy)', params: IdParams, body: toSchema(z.strictObject({ spec: Spec, description: z.string().max(2000).optional() })), response: { 200: toSchema(App, 'output'), ...errors } },
  }, async (req) => {
    const b = req.body as { spec: string; description?: string };
    return apps.updateApp((req.params as { id: string }).id, b.spec, b.description);
  });

  app.delete('/oam/apps/:id', { config: { permission: 'app.delete', team: appTeam }, schema: { tags, summary: 'Delete an app and its history (objects in clusters stay)', params: IdParams, response: { 200: toSchema(z.object({ ok: z.boolean() }), 'output'), ...errors } } },
    async (req) => {
      await apps.deleteApp((req.params as { id: string }).id);
      return { ok: true };
    });

  const renderOut = (r: Awaited<ReturnType<typeof apps.render>>) => ({
    app: r.app, namespace: r.namespace, cluster: r.cluster, environments: r.environments,
    objects: r.objects.map((o) => ({ component: o.component, trait: o.trait, stage: o.stage, role: o.role, cluster: o.cluster, step: o.step, object: o.object })),
    placements: r.placements.map((p) => ({ step: p.step, cluster: p.cluster, namespace: p.namespace, overrides: p.overrides, components: p.components.map((c) => c.name), objects: p.components.reduce((n, c) => n + c.objects.length, 0) })),
    definitions: r.definitions, plan: r.plan,
  });

  app.post('/oam/render', {
    config: { permission: 'app.read' },
    schema: { tags, summary: 'Render OAM YAML to Kubernetes objects (nothing is stored or applied)', body: toSchema(z.strictObject({ spec: Spec, env: Id.optional() })), response: { 200: toSchema(Rendered, 'output'), ...errors } },
  }, async (req) => {
    const b = req.body as { spec: string; env?: string };
    return renderOut(await apps.render(b.spec, b.env ? await oam.targets.environment(b.env) : undefined));
  });

  app.post('/oam/apps/:id/render', {
    config: { permission: 'app.read', team: appTeam },
    schema: { tags, summary: 'Render the stored app, optionally for an environment', params: IdParams, body: toSchema(z.strictObject({ env: Id.optional() })), response: { 200: toSchema(Rendered, 'output'), ...errors } },
  }, async (req) => {
    const a = await apps.getApp((req.params as { id: string }).id);
    const env = (req.body as { env?: string }).env;
    return renderOut(await apps.render(a.spec, env ? await oam.targets.environment(env) : undefined));
  });

  app.post('/oam/apps/:id/deployments', {
    config: { permission: 'app.deploy', team: appTeam },
    schema: { tags, summary: 'Deploy the app to an environment: renders, stores a revision, queues the deployment', params: IdParams, body: toSchema(z.strictObject({ env: Id, dryRun: z.boolean().default(false) })), response: { 202: toSchema(Deployment, 'output'), ...errors } },
  }, async (req, reply) => {
    const b = req.body as { env: string; dryRun: boolean };
    const d = await apps.deploy((req.params as { id: string }).id, b.env, { dryRun: b.dryRun, actor: req.auth!.username });
    req.auditTarget = `app/${d.app}/deployment/${d.id}`;
    return reply.status(202).send(d);
  });

  app.get('/oam/deployments', {
    config: { permission: 'app.read' },
    schema: { tags, summary: 'Deployments, newest first', querystring: toSchema(ListQuery.extend({ app: Id.optional() })), response: { 200: page(Deployment), ...errors } },
  }, async (req) => apps.listDeployments({ ...(req.query as any), teams: visible(req) }));

  app.get('/oam/deployments/:id', {
    config: { permission: 'app.read', team: depTeam },
    schema: {
      tags, summary: 'Deployment status tree: nodes (steps, components, traits) with health messages, and events', params: IdParams,
      response: { 200: toSchema(z.object({ deployment: Deployment, nodes: z.array(z.object({ id: z.string(), kind: z.string(), name: z.string(), type: z.string(), status: z.string(), message: z.string().nullable(), objects: z.array(Obj), startedAt: z.string().nullable(), finishedAt: z.string().nullable() })), events: z.array(z.object({ at: z.string(), level: z.string(), node: z.string().nullable(), message: z.string() })) }), 'output'), ...errors },
    },
  }, async (req) => apps.deploymentStatus((req.params as { id: string }).id));

  for (const action of ['resume', 'cancel'] as const) {
    app.post(`/oam/deployments/:id/${action}`, {
      config: { permission: 'app.deploy', team: depTeam },
      schema: { tags, summary: action === 'resume' ? 'Resume a deployment held by a suspend step' : 'Cancel a deployment (objects already applied stay)', params: IdParams, response: { 200: toSchema(Deployment, 'output'), ...errors } },
    }, async (req) => apps[action]((req.params as { id: string }).id));
  }

  app.get('/oam/apps/:id/revisions', {
    config: { permission: 'app.read', team: appTeam },
    schema: { tags, summary: 'Revisions of an app, newest first', params: IdParams, response: { 200: page(z.object({ id: z.string(), app: z.string(), number: z.number(), env: z.string(), definitions: z.array(Obj), createdBy: z.string().nullable(), createdAt: z.string() })), ...errors } },
  }, async (req) => ({ items: await apps.listRevisions((req.params as { id: string }).id), nextCursor: null }));

  app.get('/oam/apps/:id/revisions/:number', {
    config: { permission: 'app.read', team: appTeam },
    schema: { tags, summary: 'A revision: spec, definition versions, parameters and rendered objects', params: toSchema(z.strictObject({ id: Id, number: z.coerce.number().int().min(1) })), response: { 200: toSchema(z.object({ id: z.string(), app: z.string(), number: z.number(), env: z.string(), spec: z.string(), definitions: z.array(Obj), parameters: Obj, objects: z.array(Obj), createdBy: z.string().nullable(), createdAt: z.string() }), 'output'), ...errors } },
  }, async (req) => {
    const p = req.params as { id: string; number: number };
    return apps.getRevision(p.id, p.number);
  });

  app.get('/oam/apps/:id/diff', {
    config: { permission: 'app.read', team: appTeam },
    schema: { tags, summary: 'Diff two revisions (spec, definition versions, every object)', params: IdParams, querystring: toSchema(z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })), response: { 200: toSchema(z.object({ from: z.number(), to: z.number(), spec: z.string(), definitions: z.array(Obj), objects: z.array(z.object({ key: z.string(), component: z.string(), change: z.string(), diff: z.string() })) }), 'output'), ...errors } },
  }, async (req) => {
    const q = req.query as { from: number; to: number };
    return apps.diffRevisions((req.params as { id: string }).id, q.from, q.to);
  });

  app.get('/oam/apps/:id/live-diff', {
    config: { permission: 'app.read', team: appTeam },
    schema: { tags, summary: 'Diff the app as it would render now against the live cluster', params: IdParams, querystring: toSchema(z.strictObject({ env: Id })), response: { 200: toSchema(z.object({ items: z.array(z.object({ ref: Obj, change: z.string(), diff: z.string() })) }), 'output'), ...errors } },
  }, async (req) => ({ items: await apps.liveDiff((req.params as { id: string }).id, (req.query as { env: string }).env) }));

  app.post('/oam/apps/:id/rollback', {
    config: { permission: 'app.deploy', team: appTeam },
    schema: { tags, summary: 'Deploy a kept revision again', params: IdParams, body: toSchema(z.strictObject({ revision: z.number().int().min(1), env: Id.optional() })), response: { 202: toSchema(Deployment, 'output'), ...errors } },
  }, async (req, reply) => {
    const b = req.body as { revision: number; env?: string };
    return reply.status(202).send(await apps.rollback((req.params as { id: string }).id, b.revision, b.env, { actor: req.auth!.username }));
  });

  // ---- builds
  const Build = z.object({
    id: z.string(), app: z.string(), component: z.string(), env: z.string(), spec: Obj, status: z.string(), message: z.string().nullable(), job: z.string().nullable(),
    digest: z.string().nullable(), image: z.string().nullable(), logs: z.string(), createdBy: z.string().nullable(), createdAt: z.string(), finishedAt: z.string().nullable(),
  });
  app.post('/oam/apps/:id/builds', {
    config: { permission: 'app.deploy', team: appTeam },
    schema: {
      tags, summary: 'Build a component image with kaniko on the cluster of an environment; follows status and logs, records the digest', params: IdParams,
      body: toSchema(z.strictObject({ component: z.string().min(1).max(128), env: Id, build: Obj.describe('build spec: name, git {url, ref, commit?}, dockerfile, context, image, buildArgs, timeoutSeconds…') })),
      response: { 202: toSchema(Build, 'output'), ...errors },
    },
  }, async (req, reply) => {
    const b = req.body as { component: string; env: string; build: unknown };
    return reply.status(202).send(await oam.builds.start((req.params as { id: string }).id, b, req.auth!.username));
  });
  app.get('/oam/apps/:id/builds', {
    config: { permission: 'app.read', team: appTeam },
    schema: { tags, summary: 'Builds of an app, newest first', params: IdParams, response: { 200: page(Build), ...errors } },
  }, async (req) => ({ items: await oam.builds.list((req.params as { id: string }).id), nextCursor: null }));
  app.get('/oam/builds/:id', {
    config: { permission: 'app.read', team: (req: any) => oam.builds.teamOf((req.params as { id: string }).id) },
    schema: { tags, summary: 'A build with its status, logs and image digest', params: IdParams, response: { 200: toSchema(Build, 'output'), ...errors } },
  }, async (req) => oam.builds.get((req.params as { id: string }).id));

  // ---- build secrets: write-only credentials; responses carry names, kinds and field names only
  const secrets = oam.buildSecrets;
  if (secrets) {
    const SecretInfo = z.object({ team: z.string(), name: z.string(), kind: z.enum(BUILD_SECRET_KINDS), fields: z.array(z.string()), createdAt: z.string(), updatedAt: z.string(), updatedBy: z.string().nullable() });
    const SecretParams = toSchema(z.strictObject({ team: Id, name: BuildSecretName }));
    const paramTeam = (req: any) => (req.params as { team: string }).team;
    app.get('/oam/build-secrets', {
      config: { permission: 'build-secret.read', team: (req: any) => (req.query as { team?: string }).team },
      schema: { tags, summary: 'Build secrets of your teams (never their values)', querystring: toSchema(z.strictObject({ team: Id.optional() })), response: { 200: page(SecretInfo), ...errors } },
    }, async (req) => {
      const team = (req.query as { team?: string }).team;
      return { items: await secrets.list(team ? [team] : (req.auth!.teamsWith('read') as string[] | undefined)), nextCursor: null };
    });
    app.put('/oam/build-secrets/:team/:name', {
      config: { permission: 'build-secret.write', team: paramTeam },
      schema: {
        tags, summary: 'Create or replace a build secret: registry (dockerconfigjson, or registry/username/password) or git (token, or username/password); sealed at rest', params: SecretParams,
        body: toSchema(z.strictObject({ kind: z.enum(BUILD_SECRET_KINDS), data: z.union([RegistrySecretData, GitSecretData]).describe('the credentials; never returned') })),
        response: { 200: toSchema(SecretInfo, 'output'), ...errors },
      },
    }, async (req) => {
      const p = req.params as { team: string; name: string };
      const b = req.body as { kind: BuildSecretKind; data: unknown };
      req.auditTarget = `build-secret/${p.team}/${p.name}`;
      return secrets.set(p.team, p.name, b.kind, b.data, req.auth!.username);
    });
    app.delete('/oam/build-secrets/:team/:name', {
      config: { permission: 'build-secret.delete', team: paramTeam },
      schema: { tags, summary: 'Delete a build secret (builds naming it then fail to start)', params: SecretParams, response: { 200: toSchema(z.object({ ok: z.boolean() }), 'output'), ...errors } },
    }, async (req) => {
      const p = req.params as { team: string; name: string };
      req.auditTarget = `build-secret/${p.team}/${p.name}`;
      await secrets.delete(p.team, p.name);
      return { ok: true };
    });
  }

  // ---- definitions
  app.get('/oam/definitions', {
    config: { permission: 'definition.read' },
    schema: { tags, summary: 'Definitions (latest and every version)', querystring: toSchema(z.strictObject({ kind: z.enum(KINDS as [string, ...string[]]).optional(), includeDisabled: z.coerce.boolean().optional() })), response: { 200: page(DefinitionOut), ...errors } },
  }, async (req) => {
    const q = req.query as { kind?: DefinitionKind; includeDisabled?: boolean };
    return { items: (await registry.list({ kind: q.kind, includeDisabled: q.includeDisabled })).map(defOut), nextCursor: null };
  });

  app.get('/oam/definitions/:kind/:name', {
    config: { permission: 'definition.read' },
    schema: { tags, summary: 'Every version of a definition, with its template', params: toSchema(z.strictObject({ kind: z.string().max(64), name: z.string().max(128) })), response: { 200: toSchema(z.object({ items: z.array(DefinitionOut.extend({ template: z.string().nullable() })) }), 'output'), ...errors } },
  }, async (req) => {
    const p = req.params as { kind: string; name: string };
    return { items: (await registry.versions(kindOf(p.kind), p.name)).map((d) => ({ ...defOut(d), template: d.template ?? null })) };
  });

  app.post('/oam/definitions', {
    config: { permission: 'definition.write' },
    schema: { tags, summary: 'Add or upgrade definitions from YAML (one or many documents); takes effect at once', body: toSchema(z.strictObject({ yaml: z.string().min(1).max(2_000_000), replace: z.boolean().default(false) })), response: { 200: toSchema(z.object({ changes: z.array(Obj) }), 'output'), ...errors } },
  }, async (req) => {
    const b = req.body as { yaml: string; replace: boolean };
    if (parseAllDocuments(b.yaml).length === 0) throw new InputError('no YAML documents', { field: 'body.yaml' });
    const defs = definitionsFromYaml(b.yaml, { document: 'body.yaml', source: `api:${req.auth!.username}` });
    const changes = [];
    for (const d of defs) changes.push(await registry.put(d, { replace: b.replace, actor: req.auth!.username }));
    req.auditTarget = defs.map((d) => `${d.kind}/${d.name}@${d.version}`).join(',');
    return { changes };
  });

  app.post('/oam/definitions/:kind/:name/:action', {
    config: { permission: 'definition.write' },
    schema: { tags, summary: 'Disable or enable a definition (all versions, or ?version=)', params: toSchema(z.strictObject({ kind: z.string().max(64), name: z.string().max(128), action: z.enum(['disable', 'enable']) })), querystring: toSchema(z.strictObject({ version: z.string().max(64).optional() })), response: { 200: toSchema(z.object({ changes: z.array(Obj) }), 'output'), ...errors } },
  }, async (req) => {
    const p = req.params as { kind: string; name: string; action: 'disable' | 'enable' };
    return { changes: await registry.setDisabled(kindOf(p.kind), p.name, (req.query as { version?: string }).version, p.action === 'disable', req.auth!.username) };
  });

  app.get('/oam/definitions-history', {
    config: { permission: 'definition.read' },
    schema: { tags, summary: 'Every change made to definitions at run time', response: { 200: page(Obj), ...errors } },
  }, async () => ({ items: await registry.history(), nextCursor: null }));

  app.post('/oam/plugins', {
    // base64 of an archive up to ~15 MB (the schema's 20 M characters); the platform default is 1 MiB
    bodyLimit: 21 * 1024 * 1024,
    config: { permission: 'definition.write' },
    schema: { tags, summary: 'Import a plugin: a .tgz of definitions and console forms (base64); reports what did not map', body: toSchema(z.strictObject({ name: z.string().min(1).max(128), archive: z.string().min(1).max(20_000_000).describe('base64 of the .tgz') })), response: { 200: toSchema(Obj, 'output'), ...errors } },
  }, async (req) => {
    const b = req.body as { name: string; archive: string };
    return importPlugin(Buffer.from(b.archive, 'base64'), registry, { name: b.name });
  });
};
