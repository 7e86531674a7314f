// The platform's feature modules, in registration order. Add a package's module here.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aiopsMigrations, aiopsPermissions, aiopsRoutes } from '@sreworks/aiops';
import { lowcodeMigrations, lowcodePermissions, lowcodeRoutes } from '@sreworks/lowcode';
import { createOamEngine, oamMigrations, oamPermissions, oamRoutes, type OamEngine } from '@sreworks/oam';
import { createEngine, parse as parsePromQL } from '@sreworks/promql';
import {
  catalogRoutes,
  createLogStore,
  esBulkRoutes,
  eventRoutes,
  IngestLimiter,
  lokiRoutes,
  MetricsIngestor,
  metricsRoutes,
  otlpLogsRoutes,
  otlpMetricsRoutes,
  SqliteMetricsStore,
  telemetryMigrations,
  telemetryPermissions,
  type LogStore,
} from '@sreworks/telemetry';
import type { PlatformModule } from './core/module.js';
import { platformTargets } from './oam-targets.js';
import { identityMigrations } from './identity/migrations.js';
import { identityPermissions } from './identity/permissions.js';
import { identityRoutes } from './identity/routes.js';
import { scopeMigrations } from './scope/migrations.js';
import { scopePermissions } from './scope/permissions.js';
import { scopeRoutes } from './scope/routes.js';

/** The built-in ops apps (pages and menus) of the repository. */
export const OPS_APPS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../ops-apps');

export function builtinModules(): PlatformModule[] {
  const identity: PlatformModule = {
    name: 'identity',
    permissions: identityPermissions,
    migrations: identityMigrations,
    async routes(app, ctx) {
      await app.register(identityRoutes, { prefix: '/api', identity: ctx.identity, store: ctx.store, secureCookies: ctx.config.secureCookies, permissions: ctx.permissions });
    },
  };
  const scope: PlatformModule = {
    name: 'scope',
    permissions: scopePermissions,
    migrations: scopeMigrations,
    async routes(app, ctx) {
      await app.register(scopeRoutes, { prefix: '/api', scope: ctx.scope });
    },
  };
  const aiops: PlatformModule = {
    name: 'aiops',
    permissions: aiopsPermissions,
    migrations: aiopsMigrations,
    async routes(app, ctx) {
      await app.register(aiopsRoutes, { prefix: '/api', store: ctx.store });
    },
  };

  let oam: OamEngine | undefined;
  const oamModule: PlatformModule = {
    name: 'oam',
    permissions: oamPermissions,
    migrations: oamMigrations,
    async routes(app, ctx) {
      oam = await createOamEngine({ store: ctx.store, targets: platformTargets(ctx), log: ctx.log });
      await app.register(oamRoutes, { prefix: '/api', oam });
    },
    async start(ctx) {
      if (ctx.config.roles.has('worker')) oam?.executor.start();
    },
    async stop() {
      await oam?.close();
    },
  };

  let metrics: SqliteMetricsStore | undefined;
  let logs: LogStore | undefined;
  const telemetry: PlatformModule = {
    name: 'telemetry',
    permissions: telemetryPermissions,
    migrations: telemetryMigrations,
    async routes(app, ctx) {
      metrics = await SqliteMetricsStore.open({ file: join(ctx.config.dataDir, 'metrics.db') });
      logs = createLogStore({ kind: 'sqlite', dataDir: ctx.config.dataDir });
      const ingestor = new MetricsIngestor(metrics);
      const limiter = new IngestLimiter();
      await app.register(metricsRoutes, { prefix: '/prometheus', engine: createEngine(), store: metrics, ingestor });
      await app.register(otlpMetricsRoutes, { prefix: '/otlp', store: metrics, ingestor });
      await app.register(lokiRoutes, { prefix: '/loki', logs, limiter });
      await app.register(otlpLogsRoutes, { prefix: '/otlp', logs, limiter });
      await app.register(eventRoutes, { prefix: '/api', logs, limiter });
      await app.register(esBulkRoutes, { prefix: '/api', logs, limiter });
      await app.register(catalogRoutes, { prefix: '/api', store: ctx.store, validatePromQL: (expr) => void parsePromQL(expr) });
    },
    async stop() {
      await logs?.close();
      await metrics?.close();
    },
  };

  const lowcode: PlatformModule = {
    name: 'lowcode',
    permissions: lowcodePermissions,
    migrations: lowcodeMigrations,
    async routes(app, ctx) {
      await app.register(lowcodeRoutes, { prefix: '/api', store: ctx.store, opsAppsDir: OPS_APPS_DIR });
    },
  };
  return [identity, scope, aiops, oamModule, telemetry, lowcode];
}
