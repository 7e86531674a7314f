// HTTP API of the page store, registered by the server under /api. Page ids may contain "/"
// ("teams/detail"): clients send them URL-encoded in the path (encodeURIComponent).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { InputError, NotAllowedError, toSchema, z } from '@sreworks/kernel';
import type { Store } from '@sreworks/store';
import { AppManifest, PAGE_SCHEMA_VERSION, pageJsonSchema, type PageDef } from './schema.js';
import { formatPath, validatePage } from './validate.js';
import { importSreworksExport } from './sreworks.js';
import { PageStore } from './store.js';
import { loadOpsApps } from './ops-apps.js';
import type { WidgetMeta } from './widget.js';

export interface LowcodeRoutesOptions {
  store: Store;
  /** folder of built-in ops apps (`ops-apps/`), seeded into the store at start. */
  opsAppsDir?: string;
  /** the widget catalogue; with it, saved pages must use known widgets with valid props. */
  widgetMetas?: readonly WidgetMeta[];
}

const TAGS = ['lowcode'];
const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().optional() });
const appParams = z.strictObject({ appId: z.string().min(1).max(64) });
const pageParams = z.strictObject({ appId: z.string().min(1).max(64), pageId: z.string().min(1).max(128) });
const anyObject = z.record(z.string(), z.unknown());
const pageSummary = z.object({
  appId: z.string(),
  pageId: z.string(),
  title: z.string(),
  draftVersion: z.number().nullable(),
  publishedVersion: z.number().nullable(),
  latestVersion: z.number(),
  source: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
const appOut = z.object({
  id: z.string(),
  name: z.string(),
  nameZh: z.string().optional(),
  icon: z.string().optional(),
  description: z.string().optional(),
  descriptionZh: z.string().optional(),
  order: z.number().optional(),
  home: z.string().optional(),
  menu: z.array(anyObject),
  source: z.string(),
  updatedAt: z.string(),
});
const versionSel = z.union([z.enum(['published', 'draft']), z.string().regex(/^\d+$/)]);

function actor(req: FastifyRequest): string | undefined {
  return (req as any).auth?.userId;
}

function mayPublish(req: FastifyRequest): boolean {
  const auth = (req as any).auth;
  return !auth || typeof auth.can !== 'function' || Boolean(auth.can('page.deploy'));
}

function invalid(errors: { path: string; message: string }[], base: string): InputError {
  const details = errors.slice(0, 50).map((e) => ({ field: `${base}.${e.path}`, message: e.message }));
  return new InputError(`the page definition is invalid: ${details[0]!.field}: ${details[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, details, 'LOWCODE_PAGE_INVALID');
}

export const lowcodeRoutes: FastifyPluginAsync<LowcodeRoutesOptions> = async (app, opts) => {
  const pages = new PageStore(opts.store);
  const metas = opts.widgetMetas;
  if (opts.opsAppsDir) {
    const result = await pages.seedBuiltin(loadOpsApps(opts.opsAppsDir, metas));
    if (result.kept.length) app.log.info({ pages: result.kept }, 'built-in pages edited locally; their new files were not applied');
  }

  // Page edits and publishing are permissions per app: checked in the app's owning team (when it
  // has one); a new app is checked against the team its manifest names.
  const appTeam = async (req: FastifyRequest): Promise<string | undefined> => {
    const id = (req.params as { appId?: string }).appId;
    const existing = id ? await pages.getApp(id).catch(() => undefined) : undefined;
    if (existing) return existing.team;
    const m = (req.body as { manifest?: { team?: unknown } } | undefined)?.manifest;
    return typeof m?.team === 'string' ? m.team : undefined;
  };

  app.get('/lowcode/schema', {
    schema: { tags: TAGS, summary: 'JSON Schema of page definitions', response: { 200: toSchema(anyObject, 'output') } },
    config: { permission: 'page.read' },
    handler: async () => pageJsonSchema(),
  });

  app.get('/lowcode/apps', {
    schema: { tags: TAGS, summary: 'List ops apps with their menus', querystring: toSchema(listQuery), response: { 200: toSchema(z.object({ items: z.array(appOut), nextCursor: z.string().nullable() }), 'output') } },
    config: { permission: 'page.read' },
    handler: async (req) => {
      const q = req.query as z.infer<typeof listQuery>;
      const page = await pages.listApps(q.limit, q.cursor);
      page.items.sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.name.localeCompare(b.name));
      return page;
    },
  });

  app.get('/lowcode/apps/:appId', {
    schema: { tags: TAGS, summary: 'Get an ops app and its menu', params: toSchema(appParams), response: { 200: toSchema(appOut, 'output') } },
    config: { permission: 'page.read' },
    handler: async (req) => pages.getApp((req.params as any).appId),
  });

  app.put('/lowcode/apps/:appId', {
    schema: { tags: TAGS, summary: 'Create or update an ops app manifest (name, icon, menu)', params: toSchema(appParams), body: toSchema(z.strictObject({ manifest: anyObject })), response: { 200: toSchema(appOut, 'output') } },
    config: { permission: 'page.write', team: appTeam },
    handler: async (req) => {
      const { appId } = req.params as z.infer<typeof appParams>;
      const parsed = AppManifest.safeParse((req.body as any).manifest);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        throw new InputError(`the app manifest is invalid: ${formatPath(i.path)}: ${i.message}`, parsed.error.issues.map((x) => ({ field: `body.manifest.${formatPath(x.path)}`, message: x.message })), 'LOWCODE_APP_INVALID');
      }
      if (parsed.data.id !== appId) throw new InputError(`manifest id "${parsed.data.id}" differs from the URL app "${appId}"`, { field: 'body.manifest.id' }, 'LOWCODE_APP_INVALID');
      (req as any).auditTarget = `lowcode-app/${appId}`;
      await pages.upsertApp(parsed.data, 'user');
      return pages.getApp(appId);
    },
  });

  app.get('/lowcode/apps/:appId/pages', {
    schema: { tags: TAGS, summary: 'List the pages of an app', params: toSchema(appParams), querystring: toSchema(listQuery), response: { 200: toSchema(z.object({ items: z.array(pageSummary), nextCursor: z.string().nullable() }), 'output') } },
    config: { permission: 'page.read' },
    handler: async (req) => {
      const q = req.query as z.infer<typeof listQuery>;
      return pages.listPages((req.params as any).appId, q.limit, q.cursor);
    },
  });

  app.get('/lowcode/apps/:appId/pages/:pageId', {
    schema: {
      tags: TAGS,
      summary: 'Get a page definition (published by default; "draft" or a version number)',
      params: toSchema(pageParams),
      querystring: toSchema(z.strictObject({ version: versionSel.optional() })),
      response: { 200: toSchema(z.object({ page: anyObject, version: z.number(), status: z.string() }), 'output') },
    },
    config: { permission: 'page.read' },
    handler: async (req) => {
      const { appId, pageId } = req.params as z.infer<typeof pageParams>;
      const v = (req.query as any).version as string | undefined;
      return pages.getPage(appId, pageId, v === undefined || v === 'published' ? 'published' : v === 'draft' ? 'draft' : Number(v));
    },
  });

  app.get('/lowcode/apps/:appId/pages/:pageId/versions', {
    schema: {
      tags: TAGS,
      summary: 'List the versions of a page',
      params: toSchema(pageParams),
      response: { 200: toSchema(z.object({ items: z.array(z.object({ version: z.number(), status: z.string(), comment: z.string().nullable(), createdAt: z.string(), createdBy: z.string().nullable() })), nextCursor: z.null() }), 'output') },
    },
    config: { permission: 'page.read' },
    handler: async (req) => {
      const { appId, pageId } = req.params as z.infer<typeof pageParams>;
      return { items: await pages.listVersions(appId, pageId), nextCursor: null };
    },
  });

  app.put('/lowcode/apps/:appId/pages/:pageId/draft', {
    schema: {
      tags: TAGS,
      summary: 'Save a new draft version of a page',
      params: toSchema(pageParams),
      body: toSchema(z.strictObject({ page: anyObject, comment: z.string().max(255).optional(), expectedVersion: z.number().int().min(0).optional() })),
      response: { 200: toSchema(pageSummary, 'output') },
    },
    config: { permission: 'page.write', team: appTeam },
    handler: async (req) => {
      const { appId, pageId } = req.params as z.infer<typeof pageParams>;
      const body = req.body as { page: unknown; comment?: string; expectedVersion?: number };
      const r = validatePage(body.page, metas);
      if (!r.ok) throw invalid(r.errors, 'body.page');
      if (r.page.app !== appId) throw new InputError(`page.app "${r.page.app}" differs from the URL app "${appId}"`, { field: 'body.page.app' }, 'LOWCODE_PAGE_INVALID');
      if (r.page.id !== pageId) throw new InputError(`page.id "${r.page.id}" differs from the URL page "${pageId}"`, { field: 'body.page.id' }, 'LOWCODE_PAGE_INVALID');
      (req as any).auditTarget = `page/${appId}/${pageId}`;
      return pages.saveDraft(r.page, { user: actor(req), comment: body.comment, expectedVersion: body.expectedVersion });
    },
  });

  app.post('/lowcode/apps/:appId/pages/:pageId/publish', {
    schema: {
      tags: TAGS,
      summary: 'Publish the draft (or roll back to an older version)',
      params: toSchema(pageParams),
      body: toSchema(z.strictObject({ version: z.number().int().min(1).optional() })),
      response: { 200: toSchema(pageSummary, 'output') },
    },
    config: { permission: 'page.deploy', team: appTeam },
    handler: async (req) => {
      const { appId, pageId } = req.params as z.infer<typeof pageParams>;
      (req as any).auditTarget = `page/${appId}/${pageId}`;
      return pages.publish(appId, pageId, { version: (req.body as any)?.version, user: actor(req) });
    },
  });

  app.delete('/lowcode/apps/:appId/pages/:pageId', {
    schema: { tags: TAGS, summary: 'Delete a page and all its versions', params: toSchema(pageParams), response: { 204: toSchema(z.null(), 'output') } },
    config: { permission: 'page.delete', team: appTeam },
    handler: async (req, reply) => {
      const { appId, pageId } = req.params as z.infer<typeof pageParams>;
      (req as any).auditTarget = `page/${appId}/${pageId}`;
      await pages.deletePage(appId, pageId);
      return reply.code(204).send();
    },
  });

  app.get('/lowcode/apps/:appId/export', {
    schema: {
      tags: TAGS,
      summary: 'Export an app with its pages (published, or drafts)',
      params: toSchema(appParams),
      querystring: toSchema(z.strictObject({ version: z.enum(['published', 'draft']).optional() })),
      response: { 200: toSchema(z.object({ schemaVersion: z.number(), app: anyObject, pages: z.array(anyObject) }), 'output') },
    },
    config: { permission: 'page.read' },
    handler: async (req) => pages.exportApp((req.params as any).appId, (req.query as any).version ?? 'published'),
  });

  app.post('/lowcode/import', {
    schema: {
      tags: TAGS,
      summary: 'Import an app with its pages (our export format, or a SREWorks page export); all or nothing',
      body: toSchema(z.strictObject({ format: z.enum(['native', 'sreworks']).default('native'), bundle: anyObject, publish: z.boolean().default(false) })),
      response: {
        200: toSchema(z.object({ app: z.string(), pages: z.array(pageSummary), report: anyObject.optional() }), 'output'),
      },
    },
    config: { permission: 'page.write' },
    handler: async (req) => {
      const body = req.body as { format: 'native' | 'sreworks'; bundle: Record<string, unknown>; publish: boolean };
      if (body.publish && !mayPublish(req)) throw new NotAllowedError('publishing imported pages needs the page.deploy permission', 'AUTH_FORBIDDEN', { field: 'body.publish' });
      let manifest: AppManifest;
      let list: PageDef[];
      let report: unknown;
      if (body.format === 'sreworks') {
        let r;
        try {
          r = importSreworksExport(body.bundle, { knownTypes: metas?.map((m) => m.type) });
        } catch (e) {
          throw new InputError((e as Error).message, { field: 'body.bundle' }, 'LOWCODE_IMPORT_INVALID');
        }
        manifest = r.app;
        list = r.pages;
        report = r.report;
      } else {
        const b = body.bundle;
        if (b.schemaVersion !== PAGE_SCHEMA_VERSION) throw new InputError(`bundle.schemaVersion must be ${PAGE_SCHEMA_VERSION}`, { field: 'body.bundle.schemaVersion' }, 'LOWCODE_IMPORT_INVALID');
        const m = AppManifest.safeParse(b.app);
        if (!m.success) {
          const i = m.error.issues[0]!;
          throw new InputError(`bundle.app is invalid: ${formatPath(i.path)}: ${i.message}`, { field: `body.bundle.app.${formatPath(i.path)}` }, 'LOWCODE_IMPORT_INVALID');
        }
        manifest = m.data;
        if (!Array.isArray(b.pages)) throw new InputError('bundle.pages must be an array', { field: 'body.bundle.pages' }, 'LOWCODE_IMPORT_INVALID');
        list = [];
        (b.pages as unknown[]).forEach((p, i) => {
          const r = validatePage(p, metas);
          if (!r.ok) throw invalid(r.errors, `body.bundle.pages[${i}]`);
          if (r.page.app !== manifest.id) throw new InputError(`page app "${r.page.app}" differs from bundle app "${manifest.id}"`, { field: `body.bundle.pages[${i}].app` }, 'LOWCODE_IMPORT_INVALID');
          list.push(r.page);
        });
      }
      // converted pages are checked too: nothing half-valid goes into the store
      list.forEach((p, i) => {
        const r = validatePage(p, body.format === 'sreworks' ? undefined : metas);
        if (!r.ok) throw invalid(r.errors, `pages[${i}]`);
      });
      (req as any).auditTarget = `lowcode-app/${manifest.id}`;
      const saved = await pages.importBundle({ app: manifest, pages: list }, { publish: body.publish, user: actor(req) });
      return { app: manifest.id, pages: saved, ...(report ? { report } : {}) };
    },
  });
};
