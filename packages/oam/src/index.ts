// @sreworks/oam public entry.

// targets
export * from './targets/index.js';
// builds (targets part)
export * from './builds/index.js';
