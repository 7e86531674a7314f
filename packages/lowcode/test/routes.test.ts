import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlatformError } from '@sreworks/kernel';
import { migrate } from '@sreworks/store';
import { testDialects } from '@sreworks/store/testing';
import { lowcodeRoutes, lowcodeMigrations, lowcodePermissions, PAGE_SCHEMA_VERSION, type WidgetMeta } from '../src/index.js';

const metas: WidgetMeta[] = [
  { type: 'Table', name: 'Table', category: 'data', description: 't', defaults: {}, events: ['rowClick'], propsSchema: { type: 'object', properties: { pageSize: { type: 'integer' } } } },
];

function page(id: string, title = 'Users') {
  return {
    schemaVersion: PAGE_SCHEMA_VERSION,
    id,
    app: 'demo',
    title,
    layout: { kind: 'fluid', rows: [{ cols: [{ span: 24, nodes: [{ id: 'tbl', type: 'Table', props: { pageSize: 20 }, dataSource: { kind: 'api', url: '/api/users' } }] }] }] },
  };
}

function opsAppsDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'sw-opsapps-'));
  mkdirSync(join(root, 'demo', 'pages'), { recursive: true });
  writeFileSync(join(root, 'demo', 'app.yaml'), 'id: demo\nname: Demo\nnameZh: 演示\nicon: AppstoreOutlined\nmenu:\n  - key: users\n    label: Users\n    page: users\n');
  writeFileSync(join(root, 'demo', 'pages', 'users.json'), JSON.stringify(page('users')));
  return root;
}

async function build(storeUrl: { store: any }, dir: string): Promise<FastifyInstance> {
  const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } } });
  // the server's single error handler, reduced to what these tests need
  app.setErrorHandler((err: any, _req, reply) => {
    if (isPlatformError(err)) return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    if (err.validation) return reply.code(400).send({ error: { code: 'INPUT_INVALID', message: err.message } });
    return reply.code(500).send({ error: { code: 'INTERNAL', message: err.message } });
  });
  await app.register(lowcodeRoutes, { prefix: '/api', store: storeUrl.store, opsAppsDir: dir, widgetMetas: metas });
  await app.ready();
  return app;
}

describe('lowcode permissions', () => {
  it('declares read, write, delete and a separate publish permission', () => {
    expect(lowcodePermissions.map((p) => p.name).sort()).toEqual(['page.delete', 'page.deploy', 'page.read', 'page.write']);
  });
});

for (const dialect of testDialects()) {
  describe(`lowcode routes on ${dialect.name}`, () => {
    let db: Awaited<ReturnType<typeof dialect.open>>;
    let app: FastifyInstance;
    let dir: string;
    beforeAll(async () => {
      db = await dialect.open();
      await migrate(db.store, lowcodeMigrations);
      dir = opsAppsDir();
      app = await build(db, dir);
    });
    afterAll(async () => {
      await app?.close();
      await db?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('seeds built-in apps and pages, listing apps with menus', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/lowcode/apps' });
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.items).toHaveLength(1);
      expect(body.items[0]).toMatchObject({ id: 'demo', name: 'Demo', nameZh: '演示', source: 'builtin', menu: [{ key: 'users', page: 'users' }] });
      const pages = (await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo/pages' })).json();
      expect(pages.items[0]).toMatchObject({ pageId: 'users', publishedVersion: 1, draftVersion: null, source: 'builtin' });
      const got = (await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo/pages/users' })).json();
      expect(got).toMatchObject({ version: 1, status: 'published', page: { id: 'users', title: 'Users' } });
      expect(got.page.layout.rows[0].cols[0].nodes[0].dataSource.method).toBe('GET');
    });

    it('saves drafts, publishes, rolls back, and keeps versions', async () => {
      const save = await app.inject({ method: 'PUT', url: '/api/lowcode/apps/demo/pages/users/draft', payload: { page: page('users', 'Users v2'), comment: 'retitle' } });
      expect(save.statusCode).toBe(200);
      expect(save.json()).toMatchObject({ draftVersion: 2, publishedVersion: 1, latestVersion: 2, source: 'user' });
      expect((await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo/pages/users' })).json().page.title).toBe('Users');
      expect((await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo/pages/users?version=draft' })).json()).toMatchObject({ version: 2, status: 'draft', page: { title: 'Users v2' } });
      const pub = await app.inject({ method: 'POST', url: '/api/lowcode/apps/demo/pages/users/publish', payload: {} });
      expect(pub.json()).toMatchObject({ publishedVersion: 2, draftVersion: null });
      const again = await app.inject({ method: 'POST', url: '/api/lowcode/apps/demo/pages/users/publish', payload: {} });
      expect(again.statusCode).toBe(400);
      expect(again.json().error.code).toBe('LOWCODE_NO_DRAFT');
      const back = await app.inject({ method: 'POST', url: '/api/lowcode/apps/demo/pages/users/publish', payload: { version: 1 } });
      expect(back.json().publishedVersion).toBe(1);
      const versions = (await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo/pages/users/versions' })).json();
      expect(versions.items.map((v: any) => [v.version, v.status])).toEqual([[2, 'old'], [1, 'published']]);
      const stale = await app.inject({ method: 'PUT', url: '/api/lowcode/apps/demo/pages/users/draft', payload: { page: page('users'), expectedVersion: 1 } });
      expect(stale.statusCode).toBe(409);
    });

    it('refuses invalid pages naming the field, and saves nothing', async () => {
      const bad = page('other');
      (bad.layout.rows[0]!.cols[0]!.nodes[0] as any).type = 'Nope';
      (bad.layout.rows[0]!.cols[0]!.nodes[0] as any).props = { pageSize: 'x' };
      const r = await app.inject({ method: 'PUT', url: '/api/lowcode/apps/demo/pages/other/draft', payload: { page: bad } });
      expect(r.statusCode).toBe(400);
      const e = r.json().error;
      expect(e.code).toBe('LOWCODE_PAGE_INVALID');
      expect(e.details.map((d: any) => d.field)).toEqual(['body.page.layout.rows[0].cols[0].nodes[0].type']);
      const mismatch = await app.inject({ method: 'PUT', url: '/api/lowcode/apps/demo/pages/other/draft', payload: { page: page('users') } });
      expect(mismatch.json().error.details.field).toBe('body.page.id');
      const unknown = await app.inject({ method: 'PUT', url: '/api/lowcode/apps/demo/pages/other/draft', payload: { page: page('other'), surprise: 1 } });
      expect(unknown.statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo/pages/other' })).statusCode).toBe(404);
    });

    it('handles page ids with slashes when URL-encoded', async () => {
      const r = await app.inject({ method: 'PUT', url: `/api/lowcode/apps/demo/pages/${encodeURIComponent('teams/detail')}/draft`, payload: { page: page('teams/detail') } });
      expect(r.statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/api/lowcode/apps/demo/pages/${encodeURIComponent('teams/detail')}?version=draft` })).json().page.id).toBe('teams/detail');
    });

    it('exports and imports a bundle, all or nothing', async () => {
      const ex = (await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo/export?version=draft' })).json();
      expect(ex.schemaVersion).toBe(PAGE_SCHEMA_VERSION);
      expect(ex.pages.map((p: any) => p.id)).toEqual(['teams/detail', 'users']);
      const copy = JSON.parse(JSON.stringify(ex).replaceAll('"demo"', '"demo2"'));
      copy.app.id = 'demo2';
      const broken = JSON.parse(JSON.stringify(copy));
      broken.pages[1].layout.rows[0].cols[0].nodes[0].dataSource.kind = 'ftp';
      const bad = await app.inject({ method: 'POST', url: '/api/lowcode/import', payload: { bundle: broken, publish: true } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].field).toMatch(/^body\.bundle\.pages\[1\]\.layout/);
      expect((await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo2' })).statusCode).toBe(404);
      const ok = await app.inject({ method: 'POST', url: '/api/lowcode/import', payload: { bundle: copy, publish: true } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().pages.map((p: any) => p.publishedVersion)).toEqual([1, 1]);
    });

    it('imports a SREWorks export with a report; unknown widgets become placeholders', async () => {
      const root = join(import.meta.dirname, '../../..');
      const fixture = [join(root, '../shared/fixtures'), join(root, '../../shared/fixtures')].map((d) => join(d, 'sreworks/pages/search.json')).find((f) => existsSync(f))!;
      expect(fixture, 'the SREWorks page fixtures (../shared/fixtures) are missing').toBeDefined();
      const r = await app.inject({ method: 'POST', url: '/api/lowcode/import', payload: { format: 'sreworks', bundle: JSON.parse(readFileSync(fixture, 'utf8')), publish: true } });
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.app).toBe('search');
      expect(body.pages.length).toBeGreaterThan(0);
      expect(body.report.pages).toBe(body.pages.length);
      const bad = await app.inject({ method: 'POST', url: '/api/lowcode/import', payload: { format: 'sreworks', bundle: { nope: 1 } } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.field).toBe('body.bundle');
    });

    it('re-seeding keeps pages edited by users and republishes unedited changed files', async () => {
      writeFileSync(join(dir, 'demo', 'pages', 'users.json'), JSON.stringify(page('users', 'Users from file v2')));
      mkdirSync(join(dir, 'demo', 'pages'), { recursive: true });
      const app2 = await build(db, dir);
      // users was edited through the API, so the new file does not overwrite it
      expect((await app2.inject({ method: 'GET', url: '/api/lowcode/apps/demo/pages/users' })).json().page.title).toBe('Users');
      await app2.close();
    });

    it('answers 404 for unknown apps and pages', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/lowcode/apps/zzz' })).json().error.code).toBe('LOWCODE_APP_NOT_FOUND');
      expect((await app.inject({ method: 'GET', url: '/api/lowcode/apps/demo/pages/zzz' })).json().error.code).toBe('LOWCODE_PAGE_NOT_FOUND');
    });
  });
}
