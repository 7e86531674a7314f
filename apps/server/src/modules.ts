// The platform's feature modules, in registration order. Add a package's module here.
import { aiopsMigrations, aiopsPermissions, aiopsRoutes, RunExecutor } from '@sreworks/aiops';
import { createOamEngine, oamMigrations, oamPermissions, oamRoutes, type OamEngine } from '@sreworks/oam';
import { lowcodeModule } from '@sreworks/lowcode';
import { fileURLToPath } from 'node:url';
import type { PlatformModule } from './core/module.js';
import { platformTargets } from './oam-targets.js';
import { telemetryModule } from './telemetry-module.js';
import { identityMigrations } from './identity/migrations.js';
import { identityPermissions } from './identity/permissions.js';
import { identityRoutes } from './identity/routes.js';
import { scopeMigrations } from './scope/migrations.js';
import { scopePermissions } from './scope/permissions.js';
import { scopeRoutes } from './scope/routes.js';

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
  let aiopsRuns: RunExecutor | undefined;
  const aiops: PlatformModule = {
    name: 'aiops',
    permissions: aiopsPermissions,
    migrations: aiopsMigrations,
    async routes(app, ctx) {
      const timeoutMs = Number(process.env.SREWORKS_AIOPS_RUN_TIMEOUT_MS) || undefined;
      aiopsRuns = new RunExecutor({ store: ctx.store, log: ctx.log, timeoutMs });
      await app.register(aiopsRoutes, { prefix: '/api', store: ctx.store, executor: aiopsRuns });
    },
    // every role: runs are executed by the API process that took them, and any process may
    // resolve the runs of one that is gone (left "running" by a restart)
    async start() {
      await aiopsRuns?.start();
    },
    async stop() {
      await aiopsRuns?.stop();
    },
  };
  let oam: OamEngine | undefined;
  const oamModule: PlatformModule = {
    name: 'oam',
    permissions: oamPermissions,
    migrations: oamMigrations,
    async routes(app, ctx) {
      oam = await createOamEngine({ store: ctx.store, targets: platformTargets(ctx), log: ctx.log, sealer: ctx.sealer });
      await app.register(oamRoutes, { prefix: '/api', oam });
    },
    async start(ctx) {
      if (ctx.config.roles.has('worker')) oam?.start();
    },
    async stop() {
      await oam?.close();
    },
  };
  // built-in ops apps (pages, menus) ship in the repository's ops-apps folder
  const opsAppsDir = fileURLToPath(new URL('../../../ops-apps', import.meta.url));
  return [identity, scope, aiops, oamModule, telemetryModule(), lowcodeModule({ opsAppsDir })];
}
