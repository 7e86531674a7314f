export { buildProgram, main } from './main.js';
export { ApiClient, ApiError, loadCliConfig } from './client.js';
export { print, type Format } from './output.js';
