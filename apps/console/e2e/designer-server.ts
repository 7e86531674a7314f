// The platform for the designer suite and benchmark: the console harness's server plus the
// component routes (custom and remote components), and a small HTTP server standing in for a
// third-party host of remote component bundles.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@sreworks/kernel';
import { buildPlatform, ensureAdmin, type PlatformModule } from '@sreworks/server';
import { componentMigrations, componentPermissions, componentRoutes } from '@sreworks/lowcode';
import { builtinModules } from '../../server/src/modules.js';
import { ADMIN_PASSWORD, lowcodeModule, type RunningServer } from './harness.js';

export function componentsModule(): PlatformModule {
  return {
    name: 'lowcode-components',
    permissions: componentPermissions,
    migrations: componentMigrations,
    async routes(app, ctx) {
      await app.register(componentRoutes, { prefix: '/api', store: ctx.store });
    },
  };
}

export async function startDesignerServer(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-e2e-designer-'));
  const config = loadConfig({ SREWORKS_DATA_DIR: dataDir, SREWORKS_SECRET_KEY: 'e2e-secret', SREWORKS_LOG_LEVEL: 'warn', SREWORKS_PORT: '0' });
  const modules = builtinModules();
  if (!modules.some((m) => m.name === 'lowcode')) modules.push(lowcodeModule());
  if (!modules.some((m) => m.name === 'lowcode-components')) modules.push(componentsModule());
  const platform = await buildPlatform(config, { logger: false, modules });
  await ensureAdmin(platform.identity, ADMIN_PASSWORD, () => {});
  await platform.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = platform.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    platform,
    dataDir,
    async close() {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Serves remote component bundles (with CORS, as a CDN would); unknown paths answer 404. */
export async function startBundleServer(files: Record<string, string>): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = files[req.url ?? ''];
    res.setHeader('access-control-allow-origin', '*');
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}
