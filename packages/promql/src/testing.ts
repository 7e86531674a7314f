// Second door for tests: the promqltest runner and the in-memory store.
export { loadTestScript, expandValues, parseSeriesDesc, type EvalCase } from './promqltest.js';
export { MemoryQueryable, matchLabel } from './memory.js';
