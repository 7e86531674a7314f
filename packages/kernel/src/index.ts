export * from './errors.js';
export * from './ids.js';
export * from './secrets.js';
export * from './permissions.js';
export * from './config.js';
export * from './schema.js';
