// @sreworks/oam public entry.

// targets
export * from './targets/index.js';
