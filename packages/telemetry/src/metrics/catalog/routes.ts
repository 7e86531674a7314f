// DataOps catalogue API (mounted under /api): data sources and metric definitions, team-owned.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { InputError, toSchema, z } from '@sreworks/kernel';
import type { Store } from '@sreworks/store';
import { CatalogRepo, DATASOURCE_KINDS, METRIC_TYPES } from './repo.js';
import { validateScrapeConfig } from './scrape-config.js';

export interface CatalogRoutesOptions {
  store: Store;
  /** checks PromQL syntax of derived metrics (the server passes the PromQL parser); throw to refuse. */
  validatePromQL?: (expr: string) => void | Promise<void>;
}

interface AuthLike {
  teams?: Map<string, string>;
  platformRole?: string;
  can?(permission: string, teamId?: string): boolean;
}

const TAGS = ['dataops'];
const id = z.string().min(1).max(64);
const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name').max(255);
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name');
const listQuery = z.object({ teamId: id.optional(), limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().optional() });
const idParams = z.object({ id });

const dataSource = z.object({
  id: z.string(), teamId: z.string(), name: z.string(), kind: z.enum(DATASOURCE_KINDS), description: z.string().nullable(),
  config: z.record(z.string(), z.any()), createdBy: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
});
const dataSourceCreate = z.strictObject({
  teamId: id, name: z.string().min(1).max(255), kind: z.enum(DATASOURCE_KINDS), description: z.string().max(4000).optional(),
  config: z.record(z.string(), z.any()).optional(),
});
const dataSourcePatch = z.strictObject({ name: z.string().min(1).max(255).optional(), kind: z.enum(DATASOURCE_KINDS).optional(), description: z.string().max(4000).nullable().optional(), config: z.record(z.string(), z.any()).optional() });

const metricDef = z.object({
  id: z.string(), teamId: z.string(), name: z.string(), type: z.enum(METRIC_TYPES), unit: z.string().nullable(), labels: z.array(z.string()),
  owner: z.string().nullable(), description: z.string().nullable(), promql: z.string().nullable(), datasourceId: z.string().nullable(),
  createdBy: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
});
const metricCreate = z.strictObject({
  teamId: id, name: metricName, type: z.enum(METRIC_TYPES), unit: z.string().max(64).optional(), labels: z.array(labelName).max(64).optional(),
  owner: z.string().max(255).optional(), description: z.string().max(4000).optional(), promql: z.string().min(1).max(20_000).optional(), datasourceId: id.optional(),
});
const metricPatch = z.strictObject({
  type: z.enum(METRIC_TYPES).optional(), unit: z.string().max(64).nullable().optional(), labels: z.array(labelName).max(64).optional(), owner: z.string().max(255).nullable().optional(),
  description: z.string().max(4000).nullable().optional(), promql: z.string().min(1).max(20_000).nullable().optional(), datasourceId: id.nullable().optional(),
});

const page = (item: z.ZodType) => toSchema(z.object({ items: z.array(item), nextCursor: z.string().nullable() }), 'output');

function auth(req: FastifyRequest): AuthLike | undefined {
  return (req as unknown as { auth?: AuthLike }).auth;
}

/** teams whose catalogue the caller may list (undefined = all, e.g. no auth in tests or a platform admin). */
function readableTeams(req: FastifyRequest, teamId: string | undefined): string[] | undefined {
  const a = auth(req);
  if (!a || a.platformRole === 'admin') return teamId ? [teamId] : undefined;
  const teams = [...(a.teams?.keys() ?? [])].filter((t) => a.can?.('telemetry.read', t) ?? true);
  return teamId ? teams.filter((t) => t === teamId) : teams;
}

export const catalogRoutes: FastifyPluginAsync<CatalogRoutesOptions> = async (app, opts) => {
  const repo = new CatalogRepo(opts.store);
  const userId = (req: FastifyRequest) => (req as unknown as { auth?: { userId?: string } }).auth?.userId ?? null;
  const checkDerived = async (type: string | undefined, promql: string | null | undefined, field = 'body.promql') => {
    if (type === 'derived' && !promql) throw new InputError('a derived metric needs the PromQL that computes it', { field }, 'TELEMETRY_METRIC_DEF_PROMQL');
    if (promql && opts.validatePromQL) {
      try {
        await opts.validatePromQL(promql);
      } catch (e) {
        throw new InputError(`promql does not parse: ${(e as Error).message}`, { field }, 'TELEMETRY_METRIC_DEF_PROMQL', e);
      }
    }
  };

  app.get('/dataops/datasources', {
    schema: { tags: TAGS, summary: 'List telemetry data sources', querystring: toSchema(listQuery), response: { 200: page(dataSource) } },
    config: { permission: 'telemetry.read' },
  }, async (req) => {
    const q = req.query as z.infer<typeof listQuery>;
    return repo.listDataSources({ ...q, teamIds: readableTeams(req, q.teamId) });
  });
  app.post('/dataops/datasources', {
    schema: { tags: TAGS, summary: 'Register a telemetry data source', body: toSchema(dataSourceCreate), response: { 201: toSchema(dataSource, 'output') } },
    config: { permission: 'telemetry.write', team: (req: FastifyRequest) => (req.body as { teamId?: string })?.teamId },
  }, async (req, reply) => {
    const b = req.body as z.infer<typeof dataSourceCreate>;
    if (b.kind === 'scrape') validateScrapeConfig(b.config ?? {});
    const ds = await repo.createDataSource({ teamId: b.teamId, name: b.name, kind: b.kind, description: b.description ?? null, config: b.config ?? {}, createdBy: userId(req) });
    (req as unknown as { auditTarget?: string }).auditTarget = `datasource/${ds.id}`;
    return reply.code(201).send(ds);
  });
  const dsTeam = async (req: FastifyRequest) => (await repo.getDataSource((req.params as { id: string }).id)).teamId;
  app.get('/dataops/datasources/:id', {
    schema: { tags: TAGS, summary: 'Get a telemetry data source', params: toSchema(idParams), response: { 200: toSchema(dataSource, 'output') } },
    config: { permission: 'telemetry.read', team: dsTeam },
  }, async (req) => repo.getDataSource((req.params as { id: string }).id));
  app.patch('/dataops/datasources/:id', {
    schema: { tags: TAGS, summary: 'Update a telemetry data source', params: toSchema(idParams), body: toSchema(dataSourcePatch), response: { 200: toSchema(dataSource, 'output') } },
    config: { permission: 'telemetry.write', team: dsTeam },
  }, async (req) => {
    const { id: dsId } = req.params as { id: string };
    (req as unknown as { auditTarget?: string }).auditTarget = `datasource/${dsId}`;
    const patch = req.body as z.infer<typeof dataSourcePatch>;
    const cur = await repo.getDataSource(dsId);
    if ((patch.kind ?? cur.kind) === 'scrape') validateScrapeConfig(patch.config ?? cur.config);
    return repo.updateDataSource(dsId, patch);
  });
  app.delete('/dataops/datasources/:id', {
    schema: { tags: TAGS, summary: 'Delete a telemetry data source', params: toSchema(idParams), response: { 204: { type: 'null' } } },
    config: { permission: 'telemetry.write', team: dsTeam },
  }, async (req, reply) => {
    const { id: dsId } = req.params as { id: string };
    (req as unknown as { auditTarget?: string }).auditTarget = `datasource/${dsId}`;
    await repo.deleteDataSource(dsId);
    return reply.code(204).send();
  });

  app.get('/dataops/metrics', {
    schema: { tags: TAGS, summary: 'List metric definitions', querystring: toSchema(listQuery), response: { 200: page(metricDef) } },
    config: { permission: 'telemetry.read' },
  }, async (req) => {
    const q = req.query as z.infer<typeof listQuery>;
    return repo.listMetrics({ ...q, teamIds: readableTeams(req, q.teamId) });
  });
  app.post('/dataops/metrics', {
    schema: { tags: TAGS, summary: 'Define a metric (name, labels, owner, description; PromQL for derived metrics)', body: toSchema(metricCreate), response: { 201: toSchema(metricDef, 'output') } },
    config: { permission: 'telemetry.write', team: (req: FastifyRequest) => (req.body as { teamId?: string })?.teamId },
  }, async (req, reply) => {
    const b = req.body as z.infer<typeof metricCreate>;
    await checkDerived(b.type, b.promql);
    const m = await repo.createMetric({
      teamId: b.teamId, name: b.name, type: b.type, unit: b.unit ?? null, labels: b.labels ?? [], owner: b.owner ?? null, description: b.description ?? null,
      promql: b.promql ?? null, datasourceId: b.datasourceId ?? null, createdBy: userId(req),
    });
    (req as unknown as { auditTarget?: string }).auditTarget = `metric/${m.name}`;
    return reply.code(201).send(m);
  });
  const mdTeam = async (req: FastifyRequest) => (await repo.getMetric((req.params as { id: string }).id)).teamId;
  app.get('/dataops/metrics/:id', {
    schema: { tags: TAGS, summary: 'Get a metric definition', params: toSchema(idParams), response: { 200: toSchema(metricDef, 'output') } },
    config: { permission: 'telemetry.read', team: mdTeam },
  }, async (req) => repo.getMetric((req.params as { id: string }).id));
  app.patch('/dataops/metrics/:id', {
    schema: { tags: TAGS, summary: 'Update a metric definition', params: toSchema(idParams), body: toSchema(metricPatch), response: { 200: toSchema(metricDef, 'output') } },
    config: { permission: 'telemetry.write', team: mdTeam },
  }, async (req) => {
    const { id: mId } = req.params as { id: string };
    const b = req.body as z.infer<typeof metricPatch>;
    const cur = await repo.getMetric(mId);
    await checkDerived(b.type ?? cur.type, b.promql === undefined ? cur.promql : b.promql);
    (req as unknown as { auditTarget?: string }).auditTarget = `metric/${cur.name}`;
    return repo.updateMetric(mId, b);
  });
  app.delete('/dataops/metrics/:id', {
    schema: { tags: TAGS, summary: 'Delete a metric definition', params: toSchema(idParams), response: { 204: { type: 'null' } } },
    config: { permission: 'telemetry.write', team: mdTeam },
  }, async (req, reply) => {
    const { id: mId } = req.params as { id: string };
    (req as unknown as { auditTarget?: string }).auditTarget = `metric/${mId}`;
    await repo.deleteMetric(mId);
    return reply.code(204).send();
  });
};
