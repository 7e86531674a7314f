// The sandbox Web Worker: QuickJS (WebAssembly) evaluating page code. The page may terminate
// this worker at any time (runaway code) and start a new one.
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import { DEFAULT_LIMITS, SandboxCore, type SandboxCall, type SandboxHostBridge } from './core.js';
import { compileJsx, substitutePlaceholders } from './jsx.js';

type Inbound = { type: 'call'; id: number; call: SandboxCall } | { type: 'httpResult'; reqId: number; ok: boolean; value?: unknown; error?: string };

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent<Inbound>) => void) | null };
const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
let nextReq = 1;

/** The bridge of one call: its http requests and its running slices carry its id. */
function bridgeFor(id: number): SandboxHostBridge {
  return {
    http(method, url, body) {
      const reqId = nextReq++;
      scope.postMessage({ type: 'http', id, reqId, method, url, body });
      return new Promise((resolve, reject) => waiting.set(reqId, { resolve, reject }));
    },
    slice(running) {
      scope.postMessage({ type: running ? 'slice' : 'sliceEnd', id });
    },
  };
}

const corePromise = newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync')).then(
  (qjs) => new SandboxCore(qjs, { http: () => Promise.reject(new Error('no bridge')) }, compileJsx),
);
corePromise.then(() => scope.postMessage({ type: 'ready' }));

scope.onmessage = async (e) => {
  const m = e.data;
  if (m.type === 'httpResult') {
    const w = waiting.get(m.reqId);
    waiting.delete(m.reqId);
    if (w && m.ok) w.resolve(m.value);
    else if (w) w.reject(new Error(m.error ?? 'request failed'));
    return;
  }
  if (m.type === 'call') {
    const core = await corePromise;
    let call = m.call;
    if (call.request.op === 'jsx') call = { ...call, request: { ...call.request, code: substitutePlaceholders(call.request.code, call.request.scope) } };
    // the page's watchdog stops runaway code by terminating this worker; the in-sandbox
    // interrupt is a backstop for when the page cannot (e.g. it is itself busy)
    const budget = call.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
    call = { ...call, limits: { ...call.limits, timeoutMs: budget * 2 + 500 } };
    const result = await core.run(call, bridgeFor(m.id));
    scope.postMessage({ type: 'result', id: m.id, result });
  }
};
