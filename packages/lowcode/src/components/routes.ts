// HTTP API of custom (sandboxed JSX) and remote (by URL) components, registered under /api.
// JSX components are team resources any member may write (they run in an opaque-origin iframe);
// remote components run in the console's realm, so only platform admins register them.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { InputError, toSchema, z } from '@sreworks/kernel';
import type { Store } from '@sreworks/store';
import { formatPath } from '../validate.js';
import { COMPONENT_NAME, ComponentDef, type ComponentRecord } from './model.js';
import { SANDBOX_CSP, SANDBOX_HTML } from './sandbox-html.js';
import { ComponentStore } from './store.js';

export interface ComponentRoutesOptions {
  store: Store;
}

const TAGS = ['lowcode'];
const anyObject = z.record(z.string(), z.unknown());
const nameParams = z.strictObject({ name: z.string().regex(COMPONENT_NAME, 'PascalCase name, letters and digits') });
const recordOut = z.object({ name: z.string(), kind: z.string(), type: z.string(), teamId: z.string().nullable(), version: z.number(), def: anyObject, updatedAt: z.string(), updatedBy: z.string().nullable() });
const saveBody = z.strictObject({ def: anyObject, teamId: z.string().max(64).optional(), comment: z.string().max(255).optional(), expectedVersion: z.number().int().min(0).optional() });

function parseDef(raw: unknown, kind: 'jsx' | 'remote'): ComponentDef {
  const r = ComponentDef.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new InputError(`the component is invalid: def.${formatPath(i.path)}: ${i.message}`, r.error.issues.map((x) => ({ field: `body.def.${formatPath(x.path)}`, message: x.message })), 'LOWCODE_COMPONENT_INVALID');
  }
  if (r.data.kind !== kind) throw new InputError(`def.kind must be "${kind}" on this route`, { field: 'body.def.kind' }, 'LOWCODE_COMPONENT_INVALID');
  return r.data;
}

function actor(req: FastifyRequest): string | undefined {
  return (req as any).auth?.userId;
}

export const componentRoutes: FastifyPluginAsync<ComponentRoutesOptions> = async (app, opts) => {
  const components = new ComponentStore(opts.store);
  const teamOfName = async (req: FastifyRequest) => (await components.teamOf((req.params as any).name)) ?? ((req.body as any)?.teamId as string | undefined);

  app.get('/lowcode/components/sandbox.html', {
    // a static asset, not an API: public (the iframe has an opaque origin and no credentials) and hidden from OpenAPI
    schema: { hide: true, tags: TAGS, summary: 'The document of the custom-component sandbox iframe (opaque origin, restrictive CSP)' },
    config: { permission: 'public' },
    handler: async (_req, reply) =>
      reply
        .header('content-security-policy', SANDBOX_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(SANDBOX_HTML),
  });

  app.get('/lowcode/components', {
    schema: { tags: TAGS, summary: 'List custom and remote components (latest versions, with their widget metas)', response: { 200: toSchema(z.object({ items: z.array(recordOut), nextCursor: z.null() }), 'output') } },
    config: { permission: 'component.read' },
    handler: async () => ({ items: await components.list(), nextCursor: null }),
  });

  app.get('/lowcode/components/:name', {
    schema: { tags: TAGS, summary: 'Get a component (latest, or a version)', params: toSchema(nameParams), querystring: toSchema(z.strictObject({ version: z.coerce.number().int().min(1).optional() })), response: { 200: toSchema(recordOut, 'output') } },
    config: { permission: 'component.read' },
    handler: async (req) => components.get((req.params as any).name, (req.query as any).version),
  });

  app.get('/lowcode/components/:name/versions', {
    schema: { tags: TAGS, summary: 'List the versions of a component', params: toSchema(nameParams), response: { 200: toSchema(z.object({ items: z.array(z.object({ version: z.number(), comment: z.string().nullable(), createdAt: z.string(), createdBy: z.string().nullable() })), nextCursor: z.null() }), 'output') } },
    config: { permission: 'component.read' },
    handler: async (req) => ({ items: await components.versions((req.params as any).name), nextCursor: null }),
  });

  app.put('/lowcode/components/:name', {
    schema: { tags: TAGS, summary: 'Save a new version of a custom JSX component', params: toSchema(nameParams), body: toSchema(saveBody), response: { 200: toSchema(recordOut, 'output') } },
    config: { permission: 'component.write', team: teamOfName },
    handler: async (req): Promise<ComponentRecord> => {
      const { name } = req.params as z.infer<typeof nameParams>;
      const body = req.body as z.infer<typeof saveBody>;
      (req as any).auditTarget = `component/${name}`;
      return components.save(name, parseDef(body.def, 'jsx'), { user: actor(req), teamId: body.teamId, comment: body.comment, expectedVersion: body.expectedVersion });
    },
  });

  app.put('/lowcode/remote-components/:name', {
    schema: { tags: TAGS, summary: 'Register a new version of a remote component (ES module, UMD bundle or Vue custom element)', params: toSchema(nameParams), body: toSchema(saveBody), response: { 200: toSchema(recordOut, 'output') } },
    config: { permission: 'remote-component.write' },
    handler: async (req): Promise<ComponentRecord> => {
      const { name } = req.params as z.infer<typeof nameParams>;
      const body = req.body as z.infer<typeof saveBody>;
      (req as any).auditTarget = `remote-component/${name}`;
      return components.save(name, parseDef(body.def, 'remote'), { user: actor(req), teamId: body.teamId, comment: body.comment, expectedVersion: body.expectedVersion });
    },
  });

  app.delete('/lowcode/components/:name', {
    schema: { tags: TAGS, summary: 'Delete a custom JSX component and its versions', params: toSchema(nameParams), response: { 204: toSchema(z.null(), 'output') } },
    config: { permission: 'component.delete', team: teamOfName },
    handler: async (req, reply) => {
      const { name } = req.params as z.infer<typeof nameParams>;
      const c = await components.get(name);
      if (c.kind !== 'jsx') throw new InputError(`"${name}" is a remote component: delete it with DELETE /api/lowcode/remote-components/${name}`, { field: 'params.name' }, 'LOWCODE_COMPONENT_KIND');
      (req as any).auditTarget = `component/${name}`;
      await components.delete(name);
      return reply.code(204).send();
    },
  });

  app.delete('/lowcode/remote-components/:name', {
    schema: { tags: TAGS, summary: 'Delete a remote component and its versions', params: toSchema(nameParams), response: { 204: toSchema(z.null(), 'output') } },
    config: { permission: 'remote-component.delete' },
    handler: async (req, reply) => {
      const { name } = req.params as z.infer<typeof nameParams>;
      const c = await components.get(name);
      if (c.kind !== 'remote') throw new InputError(`"${name}" is a custom JSX component`, { field: 'params.name' }, 'LOWCODE_COMPONENT_KIND');
      (req as any).auditTarget = `remote-component/${name}`;
      await components.delete(name);
      return reply.code(204).send();
    },
  });
};
