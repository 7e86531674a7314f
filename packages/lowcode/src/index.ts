export * from './browser.js';
export { lowcodeRoutes, type LowcodeRoutesOptions } from './routes.js';
export { lowcodeMigrations } from './migrations.js';
export { lowcodePermissions } from './permissions.js';
export { PageStore, type PageSummary, type PageVersion } from './store.js';
export { loadOpsApps, type OpsApp } from './ops-apps.js';
export { componentRoutes, componentMigrations, componentPermissions, ComponentStore, type ComponentRoutesOptions, type ComponentVersion } from './components/index.js';
export { lowcodeModule, type LowcodeModuleOptions } from './module.js';
