export { componentRoutes, type ComponentRoutesOptions } from './routes.js';
export { componentMigrations } from './migrations.js';
export { componentPermissions } from './permissions.js';
export { ComponentStore, type ComponentVersion } from './store.js';
export { SANDBOX_CSP, SANDBOX_HTML } from './sandbox-html.js';
