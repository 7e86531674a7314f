// The lowcode feature area as a platform module (the shape of the server's PlatformModule,
// written structurally so this package does not import the server).
import type { FastifyInstance } from 'fastify';
import type { PermissionDef } from '@sreworks/kernel';
import type { Migration, Store } from '@sreworks/store';
import { lowcodeMigrations } from './migrations.js';
import { lowcodePermissions } from './permissions.js';
import { lowcodeRoutes } from './routes.js';
import { componentMigrations, componentPermissions, componentRoutes } from './components/index.js';
import type { WidgetMeta } from './widget.js';

export interface LowcodeModuleOptions {
  /** the repository's `ops-apps/` folder (built-in apps and pages, seeded at start). */
  opsAppsDir?: string;
  widgetMetas?: readonly WidgetMeta[];
}

export function lowcodeModule(opts: LowcodeModuleOptions = {}): {
  name: string;
  permissions: PermissionDef[];
  migrations: Migration[];
  routes(app: FastifyInstance, ctx: { store: Store }): Promise<void>;
} {
  return {
    name: 'lowcode',
    // custom and remote components (issue 6) come with the pages
    permissions: [...lowcodePermissions, ...componentPermissions],
    migrations: [...lowcodeMigrations, ...componentMigrations],
    async routes(app, ctx) {
      await app.register(lowcodeRoutes, { prefix: '/api', store: ctx.store, opsAppsDir: opts.opsAppsDir, widgetMetas: opts.widgetMetas });
      await app.register(componentRoutes, { prefix: '/api', store: ctx.store });
    },
  };
}
