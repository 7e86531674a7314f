export { buildPlatform, type Platform } from './app.js';
export { ensureAdmin } from './bootstrap.js';
export type { PlatformModule, ModuleContext } from './core/module.js';
export type { AuthContext } from './core/types.js';
export { builtinModules } from './modules.js';
