// One sandbox worker per tab, started as early as possible (its WebAssembly engine takes a few
// hundred ms to load) and shared by every page. Page code reaches the platform API only.
import { createApi, type ApiClient } from '../api.js';
import { browserSandbox, platformHttp, type Sandbox } from './client.js';

let shared: Sandbox | undefined;
let api: ApiClient = createApi();

/** The API client page code uses (the shell's, with its 401 handling). */
export function setSandboxApi(client: ApiClient): void {
  api = client;
}

export function sharedSandbox(): Sandbox {
  shared ??= browserSandbox(platformHttp((m, u, b) => api.request(m, u, b), window.location.origin));
  return shared;
}
