import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { isPlatformError } from '@sreworks/kernel';
import { migrate } from '@sreworks/store';
import { testDialects } from '@sreworks/store/testing';
import { componentMigrations, componentPermissions, componentRoutes, PAGE_SCHEMA_VERSION, validatePage, type WidgetMeta } from '../src/index.js';

const jsx = { kind: 'jsx', source: 'function Component(props) { return <b>{props.text}</b>; }', meta: { name: 'Bold text', propsSchema: { type: 'object', properties: { text: { type: 'string' } } }, defaults: { text: 'hi' } } };

describe('component permissions', () => {
  it('lets team members write sandboxed components and only admins register remote ones', () => {
    const byName = new Map(componentPermissions.map((p) => [p.name, p]));
    expect(byName.get('component.write')?.scope).toBe('team');
    expect(byName.get('remote-component.write')?.scope).toBe('platform');
  });
});

describe('pages using stored components', () => {
  it('validate against the catalogue: jsx:/remote: types pass, other unknown types do not', () => {
    const metas: WidgetMeta[] = [{ type: 'Table', name: 'Table', category: 'data', description: '', defaults: {}, propsSchema: { type: 'object' } }];
    const page = (type: string) => ({ schemaVersion: PAGE_SCHEMA_VERSION, id: 'p', app: 'a', title: 'P', layout: { kind: 'fluid', rows: [{ cols: [{ span: 24, nodes: [{ id: 'n1', type }] }] }] } });
    expect(validatePage(page('jsx:BoldText'), metas).ok).toBe(true);
    expect(validatePage(page('remote:Clock'), metas).ok).toBe(true);
    expect(validatePage(page('remote:lower'), metas).ok).toBe(false);
    expect(validatePage(page('Nope'), metas).ok).toBe(false);
  });
});

for (const dialect of testDialects()) {
  describe(`component routes on ${dialect.name}`, () => {
    let db: Awaited<ReturnType<typeof dialect.open>>;
    let app: FastifyInstance;
    beforeAll(async () => {
      db = await dialect.open();
      await migrate(db.store, componentMigrations);
      app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } } });
      app.setErrorHandler((err: any, _req, reply) => {
        if (isPlatformError(err)) return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
        if (err.validation) return reply.code(400).send({ error: { code: 'INPUT_INVALID', message: err.message } });
        return reply.code(500).send({ error: { code: 'INTERNAL', message: err.message } });
      });
      await app.register(componentRoutes, { prefix: '/api', store: db.store });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await db?.dispose();
    });

    it('saves versions of a JSX component and lists the latest', async () => {
      const a = await app.inject({ method: 'PUT', url: '/api/lowcode/components/BoldText', payload: { def: jsx } });
      expect(a.statusCode).toBe(200);
      expect(a.json()).toMatchObject({ name: 'BoldText', type: 'jsx:BoldText', version: 1 });
      const b = await app.inject({ method: 'PUT', url: '/api/lowcode/components/BoldText', payload: { def: { ...jsx, source: 'function Component() { return <i>v2</i>; }' }, expectedVersion: 1 } });
      expect(b.json().version).toBe(2);
      const stale = await app.inject({ method: 'PUT', url: '/api/lowcode/components/BoldText', payload: { def: jsx, expectedVersion: 1 } });
      expect(stale.statusCode).toBe(409);
      const list = (await app.inject({ method: 'GET', url: '/api/lowcode/components' })).json();
      expect(list.items.map((c: any) => [c.name, c.version])).toContainEqual(['BoldText', 2]);
      const v1 = (await app.inject({ method: 'GET', url: '/api/lowcode/components/BoldText?version=1' })).json();
      expect(v1.def.source).toContain('props.text');
      const versions = (await app.inject({ method: 'GET', url: '/api/lowcode/components/BoldText/versions' })).json();
      expect(versions.items.map((v: any) => v.version)).toEqual([2, 1]);
    });

    it('refuses bad input with the field named', async () => {
      const noUmdGlobal = await app.inject({ method: 'PUT', url: '/api/lowcode/remote-components/Carousel', payload: { def: { kind: 'remote', format: 'umd', url: 'https://cdn.example/c.js', meta: { name: 'C' } } } });
      expect(noUmdGlobal.statusCode).toBe(400);
      expect(noUmdGlobal.json().error.details[0].field).toBe('body.def.global');
      const badUrl = await app.inject({ method: 'PUT', url: '/api/lowcode/remote-components/Carousel', payload: { def: { kind: 'remote', format: 'esm', url: 'javascript:alert(1)', meta: { name: 'C' } } } });
      expect(badUrl.json().error.details[0].field).toBe('body.def.url');
      const wrongRoute = await app.inject({ method: 'PUT', url: '/api/lowcode/components/Carousel', payload: { def: { kind: 'remote', format: 'esm', url: 'https://x.example/c.js', meta: { name: 'C' } } } });
      expect(wrongRoute.json().error.details.field).toBe('body.def.kind');
      const badName = await app.inject({ method: 'PUT', url: '/api/lowcode/components/lower', payload: { def: jsx } });
      expect(badName.statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: '/api/lowcode/components/Nope' })).statusCode).toBe(404);
    });

    it('keeps one kind per name and deletes through the matching route', async () => {
      const r = await app.inject({ method: 'PUT', url: '/api/lowcode/remote-components/Clock', payload: { def: { kind: 'remote', format: 'esm', url: 'http://127.0.0.1:9/clock.js', meta: { name: 'Clock' } } } });
      expect(r.json().type).toBe('remote:Clock');
      expect((await app.inject({ method: 'PUT', url: '/api/lowcode/components/Clock', payload: { def: jsx } })).statusCode).toBe(409);
      expect((await app.inject({ method: 'DELETE', url: '/api/lowcode/components/Clock' })).statusCode).toBe(400);
      expect((await app.inject({ method: 'DELETE', url: '/api/lowcode/remote-components/Clock' })).statusCode).toBe(204);
    });

    it('serves the sandbox document with a CSP that forbids network access and same-origin', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/lowcode/components/sandbox.html' });
      expect(r.statusCode).toBe(200);
      const csp = r.headers['content-security-policy'] as string;
      expect(csp).toContain("connect-src 'none'");
      expect(csp).toContain('sandbox allow-scripts');
      expect(csp).not.toContain('allow-same-origin');
      expect(r.body).toContain("sw: 'ready'");
    });
  });
}
