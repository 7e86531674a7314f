export * from './storage.js';
export { createEngine, type EngineOptions } from './engine.js';
export { parse, ParseError, parseDuration } from './parser/parse.js';
export { print } from './parser/printer.js';
export type * from './parser/ast.js';
export { MemoryQueryable } from './memory.js';
export { PromQLError, formatValue } from './value.js';
export { parsePromTime, parsePromDuration, promErrorResponse, type PromErrorResponse } from './api.js';
