import type { FastifyPluginAsync } from 'fastify';
import { errorResponses, pageSchema, toSchema, z } from '@sreworks/kernel';
import type { ScopeService } from './service.js';

const errors = errorResponses(400, 401, 403, 404, 409);
const ok = toSchema(z.object({ ok: z.boolean() }), 'output');
const DnsLabel = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label: lower-case letters, digits and dashes');
const Id = z.string().min(1).max(64);
const IdParams = toSchema(z.strictObject({ id: Id }));
const ListQuery = toSchema(z.strictObject({ team: Id.optional(), limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(512).optional() }));
const Git = z.strictObject({ url: z.string().min(1).max(1000), branch: z.string().min(1).max(255).optional(), path: z.string().max(1000).optional(), credentials: z.string().max(10_000).optional() });
const Cluster = z.object({
  id: z.string(), team: z.string(), name: z.string(), kind: z.enum(['kubernetes', 'gitops']), description: z.string().nullable(),
  apiServer: z.string().nullable(), hasKubeconfig: z.boolean(),
  git: z.object({ url: z.string(), branch: z.string(), path: z.string(), hasCredentials: z.boolean() }).nullable(),
  createdAt: z.string(), updatedAt: z.string(),
});
const Env = z.object({ id: z.string(), team: z.string(), name: z.string(), cluster: z.string(), clusterName: z.string().nullable(), namespace: z.string(), stage: z.string(), description: z.string().nullable(), createdAt: z.string(), updatedAt: z.string() });
const page = pageSchema;

export const scopeRoutes: FastifyPluginAsync<{ scope: ScopeService }> = async (app, { scope }) => {
  const bodyTeam = (req: any) => (req.body as { team?: string })?.team;
  const clusterTeam = (req: any) => scope.teamOfCluster((req.params as { id: string }).id);
  const envTeam = (req: any) => scope.teamOfEnvironment((req.params as { id: string }).id);
  const visible = (req: any) => req.auth!.teamsWith('read') as string[] | undefined;

  app.get('/clusters', {
    config: { permission: 'cluster.read' },
    schema: { tags: ['clusters'], summary: 'Clusters and GitOps targets of your teams', querystring: ListQuery, response: { 200: page(Cluster), ...errors } },
  }, async (req) => scope.listClusters({ ...(req.query as any), teams: visible(req) }));

  app.post('/clusters', {
    config: { permission: 'cluster.write', team: bodyTeam },
    schema: {
      tags: ['clusters'], summary: 'Register a Kubernetes cluster (kubeconfig, sealed at rest) or a GitOps target (git repository)',
      body: toSchema(z.strictObject({ team: Id, name: DnsLabel, kind: z.enum(['kubernetes', 'gitops']), description: z.string().max(2000).optional(), kubeconfig: z.string().max(200_000).optional(), git: Git.optional() })),
      response: { 201: toSchema(Cluster, 'output'), ...errors },
    },
  }, async (req, reply) => {
    const c = await scope.createCluster(req.body as any);
    req.auditTarget = `cluster/${c.name}`;
    return reply.status(201).send(c);
  });

  app.get('/clusters/:id', {
    config: { permission: 'cluster.read', team: clusterTeam },
    schema: { tags: ['clusters'], summary: 'A cluster (never its secrets)', params: IdParams, response: { 200: toSchema(Cluster, 'output'), ...errors } },
  }, async (req) => scope.getCluster((req.params as { id: string }).id));

  app.put('/clusters/:id', {
    config: { permission: 'cluster.write', team: clusterTeam },
    schema: {
      tags: ['clusters'], summary: 'Update a cluster; a new kubeconfig or credentials replace the sealed ones', params: IdParams,
      body: toSchema(z.strictObject({ name: DnsLabel.optional(), description: z.string().max(2000).optional(), kubeconfig: z.string().max(200_000).optional(), git: Git.optional() })),
      response: { 200: toSchema(Cluster, 'output'), ...errors },
    },
  }, async (req) => {
    const c = await scope.updateCluster((req.params as { id: string }).id, req.body as any);
    req.auditTarget = `cluster/${c.name}`;
    return c;
  });

  app.delete('/clusters/:id', {
    config: { permission: 'cluster.delete', team: clusterTeam },
    schema: { tags: ['clusters'], summary: 'Remove a cluster (no environment may use it)', params: IdParams, response: { 200: ok, ...errors } },
  }, async (req) => {
    await scope.deleteCluster((req.params as { id: string }).id);
    return { ok: true };
  });

  app.get('/environments', {
    config: { permission: 'env.read' },
    schema: { tags: ['environments'], summary: 'Environments of your teams', querystring: ListQuery, response: { 200: page(Env), ...errors } },
  }, async (req) => scope.listEnvironments({ ...(req.query as any), teams: visible(req) }));

  app.post('/environments', {
    config: { permission: 'env.write', team: bodyTeam },
    schema: {
      tags: ['environments'], summary: 'Create an environment bound to a cluster and namespace',
      body: toSchema(z.strictObject({ team: Id, name: DnsLabel, cluster: Id, namespace: DnsLabel, stage: z.enum(['dev', 'test', 'staging', 'prod']).default('dev'), description: z.string().max(2000).optional() })),
      response: { 201: toSchema(Env, 'output'), ...errors },
    },
  }, async (req, reply) => {
    const e = await scope.createEnvironment(req.body as any);
    req.auditTarget = `environment/${e.name}`;
    return reply.status(201).send(e);
  });

  app.get('/environments/:id', {
    config: { permission: 'env.read', team: envTeam },
    schema: { tags: ['environments'], summary: 'An environment', params: IdParams, response: { 200: toSchema(Env, 'output'), ...errors } },
  }, async (req) => scope.getEnvironment((req.params as { id: string }).id));

  app.put('/environments/:id', {
    config: { permission: 'env.write', team: envTeam },
    schema: {
      tags: ['environments'], summary: 'Update an environment', params: IdParams,
      body: toSchema(z.strictObject({ name: DnsLabel.optional(), cluster: Id.optional(), namespace: DnsLabel.optional(), stage: z.enum(['dev', 'test', 'staging', 'prod']).optional(), description: z.string().max(2000).optional() })),
      response: { 200: toSchema(Env, 'output'), ...errors },
    },
  }, async (req) => scope.updateEnvironment((req.params as { id: string }).id, req.body as any));

  app.delete('/environments/:id', {
    config: { permission: 'env.delete', team: envTeam },
    schema: { tags: ['environments'], summary: 'Delete an environment', params: IdParams, response: { 200: ok, ...errors } },
  }, async (req) => {
    await scope.deleteEnvironment((req.params as { id: string }).id);
    return { ok: true };
  });
};
