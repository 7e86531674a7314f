// Composition root: opens the stores, applies migrations, registers every module's routes
// behind one authentication and permission check, and serves the console.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { PermissionRegistry, createSealer, loadSealingKey, newId, type PlatformConfig, type Sealer } from '@sreworks/kernel';
import { migrate, openStore, type Store } from '@sreworks/store';
import { authPlugin, isApiPath } from './core/auth.js';
import { auditPlugin } from './core/audit.js';
import { installErrorHandling } from './core/errors.js';
import { installValidation } from './core/validation.js';
import type { ModuleContext, PlatformModule } from './core/module.js';
import { IdentityService } from './identity/service.js';
import { ScopeService } from './scope/service.js';
import { builtinModules } from './modules.js';

export interface Platform {
  app: FastifyInstance;
  store: Store;
  sealer: Sealer;
  identity: IdentityService;
  ctx: ModuleContext;
  modules: PlatformModule[];
  routes: Array<{ method: string; url: string; permission: string }>;
  /** start background work of every module */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

const consoleDist = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../console/dist');

export async function buildPlatform(config: PlatformConfig, opts: { logger?: boolean | object; modules?: PlatformModule[] } = {}): Promise<Platform> {
  // a dropped idle connection is logged once the logger exists; the pool reconnects on next use
  let onConnectionError = (err: Error) => console.warn(`state store: idle connection dropped: ${err.message}`);
  const store = await openStore({ url: config.databaseUrl, sqliteFile: join(config.dataDir, 'sreworks.db'), onConnectionError: (err) => onConnectionError(err) });
  const sealer = createSealer(loadSealingKey({ envValue: config.secretKey, keyFile: join(config.dataDir, 'secret.key') }));
  const modules = opts.modules ?? builtinModules();

  await migrate(store, modules.flatMap((m) => m.migrations ?? []));

  const permissions = new PermissionRegistry();
  for (const m of modules) permissions.define(...(m.permissions ?? []));

  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => newId(),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle', // SIGTERM: finish in-flight requests, close idle keep-alive sockets
  });
  onConnectionError = (err) => app.log.warn({ err: err.message }, 'state store: idle connection dropped');
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  installErrorHandling(app);
  installValidation(app);

  const identity = new IdentityService(store);
  const scope = new ScopeService(store, sealer);
  const ctx: ModuleContext = { config, store, sealer, identity, scope, log: app.log, permissions };
  const routes: Platform['routes'] = [];

  // swagger-ui's own routes are documentation assets: public, and hidden from the spec.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), permission: 'public', noAudit: true };
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'SREWorks-TS API', version: '0.1.0', description: 'Every route needs a session cookie or `Authorization: Bearer <token>`, except login and health.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'sw_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(authPlugin, { identity, permissions, routeLog: routes });
  await app.register(auditPlugin, { store });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/healthz', { config: { permission: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await store.ping();
      return { status: 'ready', stores: { state: store.dialect } };
    } catch (e) {
      return reply.status(503).send({ status: 'unavailable', stores: { state: `${store.dialect}: ${(e as Error).message}` } });
    }
  });
  app.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());

  for (const m of modules) await m.routes?.(app, ctx);

  if (config.roles.has('console') && existsSync(join(consoleDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: consoleDist, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  // SPA fallback: deep links in the console reload to index.html; API paths keep JSON 404s.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    if (req.method === 'GET' && !isApiPath(path) && existsSync(join(consoleDist, 'index.html'))) {
      return reply.sendFile('index.html', consoleDist);
    }
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${path}`, details: null } });
  });

  await app.ready();

  let stopped = false;
  return {
    app, store, sealer, identity, ctx, modules, routes,
    async startWorkers() {
      for (const m of modules) await m.start?.(ctx);
    },
    async close() {
      if (stopped) return;
      stopped = true;
      await app.close(); // finishes in-flight requests
      for (const m of [...modules].reverse()) await m.stop?.().catch((err) => app.log.error({ err }, `stopping ${m.name}`));
      await store.close();
    },
  };
}
