// The platform's feature modules, in registration order. Add a package's module here.
import { aiopsMigrations, aiopsPermissions, aiopsRoutes } from '@sreworks/aiops';
import type { PlatformModule } from './core/module.js';
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
  const aiops: PlatformModule = {
    name: 'aiops',
    permissions: aiopsPermissions,
    migrations: aiopsMigrations,
    async routes(app, ctx) {
      await app.register(aiopsRoutes, { prefix: '/api', store: ctx.store });
    },
  };
  return [identity, scope, aiops];
}
