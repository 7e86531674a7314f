import { describe, it, expect, beforeAll } from 'vitest';
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { SandboxCore, type SandboxCall } from '../src/runtime/sandbox/core.js';
import { compileJsx, substitutePlaceholders } from '../src/runtime/sandbox/jsx.js';
import { WorkerSandbox, platformHttp, type WorkerLike } from '../src/runtime/sandbox/client.js';

let qjs: QuickJSWASMModule;
const calls: { method: string; url: string; body?: unknown }[] = [];
let core: SandboxCore;

beforeAll(async () => {
  qjs = await newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync'));
  const http = platformHttp(async (method, url, body) => {
    calls.push({ method, url, body });
    if (url.startsWith('/api/fail')) throw new Error('500 boom');
    return { items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], url };
  }, 'http://console.test');
  core = new SandboxCore(qjs, { http }, compileJsx);
});

const fn = (code: string, args: unknown[] = [], argNames: string[] = [], extra: Partial<SandboxCall> = {}) => core.run({ request: { op: 'fn', code, args, argNames }, ...extra });

describe('sandbox core', () => {
  it('runs SREWorks-style handlers, bodies and arrows with JSON in and out', async () => {
    const r = await fn('function afterResponse(respData, nodeParams) { return respData.map(r => ({ value: r.id, label: r.name + nodeParams.s })); }', [[{ id: 1, name: 'x' }], { s: '!' }]);
    expect(r).toMatchObject({ ok: true, value: [{ value: 1, label: 'x!' }] });
    expect((await fn('return a + b', [2, 3], ['a', 'b'])).value).toBe(5);
    expect((await fn('(x) => x * 2', [21])).value).toBe(42);
  });

  it('gives async code an http client that reaches only the platform API', async () => {
    const r = await fn('async function f(p, _np, httpClient) { const d = await httpClient.get("/api/users", { limit: p.limit }); return d.items.length + ":" + d.url; }', [{ limit: 5 }, {}]);
    expect(r).toMatchObject({ ok: true, value: '2:/api/users?limit=5' });
    const other = await fn('return await http.get("https://evil.example/steal")');
    expect(other.ok).toBe(false);
    expect(other.error!.message).toMatch(/blocked: page code may only call the platform API/);
    const notApi = await fn('return await http.get("/login")');
    expect(notApi.error!.message).toMatch(/only call \/api\/ paths/);
    const failing = await fn('try { await http.post("/api/fail", {a: 1}); } catch (e) { return "caught " + e.message; }');
    expect(failing.value).toBe('caught 500 boom');
    expect(calls.find((c) => c.url === '/api/fail')!.body).toEqual({ a: 1 });
  });

  it('has no host realm: escapes fail', async () => {
    const esc = await core.run({ request: { op: 'expr', code: "constructor.constructor('return process')()", scope: {} } });
    expect(esc.ok).toBe(false);
    expect(esc.error!.message).toMatch(/'?process'? is not defined/);
    expect((await core.run({ request: { op: 'expr', code: 'typeof globalThis.parent + typeof window + typeof fetch + typeof require + typeof XMLHttpRequest', scope: {} } })).value).toBe('undefinedundefinedundefinedundefinedundefined');
    const f = await fn('return fetch("https://evil.example")');
    expect(f.error!.message).toMatch(/'?fetch'? is not defined/);
  });

  it('stops infinite loops and memory bombs', async () => {
    const t0 = Date.now();
    const loop = await fn('while (true) {}', [], [], { limits: { timeoutMs: 100 } });
    expect(loop.error!.kind).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2000);
    const mem = await fn('const a = []; for (;;) a.push({ i: a.length, s: "abcdefgh" + a.length });', [], [], { limits: { timeoutMs: 3000, memoryBytes: 8 * 1024 * 1024 } });
    expect(mem.error!.kind).toBe('memory');
  });

  it('reports syntax errors, throws and non-JSON results', async () => {
    expect((await fn('return (')).error!.kind).toBe('syntax');
    expect((await fn('throw new TypeError("nope")')).error!.message).toBe('TypeError: nope');
    expect((await fn('const o = {}; o.o = o; return o;')).error!.kind).toBe('output');
  });

  it('offers a frozen location copy and namespaced storage', async () => {
    const loc = { href: 'http://x/apps/a?x=1', origin: 'http://x', pathname: '/apps/a', search: '?x=1', hash: '', query: { x: '1' } };
    const r = await core.run({ request: { op: 'fn', code: 'location.pathname = "/evil"; storage.set("n", (storage.get("n") || 0) + 1); return [location.pathname, location.query.x, storage.get("n")];', args: [] }, location: loc, storage: { n: 41 } });
    expect(r.value).toEqual(['/apps/a', '1', 42]);
    expect(r.storageWrites).toEqual({ n: 42 });
  });

  it('evaluates JSX to element descriptions, placeholders escaped', async () => {
    const src = substitutePlaceholders("<antd.Tag color={row.ok ? 'green' : 'red'}>$(row.name)</antd.Tag>{items.map(i => <b key={i}>{i}</b>)}", { row: { name: '<img onerror=x>{1}' } });
    const r = await core.run({ request: { op: 'jsx', code: src, scope: { row: { ok: true }, items: [1, 2] } } });
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({
      type: 'Fragment',
      props: null,
      children: [
        { type: 'antd.Tag', props: { color: 'green' }, children: ['<img onerror=x>{1}'] },
        { type: 'b', props: { key: 1 }, children: [1] },
        { type: 'b', props: { key: 2 }, children: [2] },
      ],
    });
  });
});

class FakeWorker implements WorkerLike {
  static made: FakeWorker[] = [];
  onmessage: ((e: { data: any }) => void) | null = null;
  terminated = false;
  blocked = false;
  received: any[] = [];
  constructor(private readonly behaviour: 'hang' | 'echo') {
    FakeWorker.made.push(this);
  }
  postMessage(m: any) {
    this.received.push(m);
    if (m.type === 'call' && this.behaviour === 'hang' && m.call.request.code === 'loop') {
      // the worker starts running the loop and never answers again
      setTimeout(() => this.onmessage?.({ data: { type: 'slice', id: m.id } }), 1);
      this.blocked = true;
      return;
    }
    if (m.type === 'call' && !this.blocked) {
      setTimeout(() => this.onmessage?.({ data: { type: 'result', id: m.id, result: { ok: true, value: m.call.request.code, logs: [], storageWrites: {} } } }), 5);
    }
  }
  terminate() {
    this.terminated = true;
  }
}

describe('worker host watchdog', () => {
  it('terminates a runaway worker, starts a new one, and re-sends innocent calls', async () => {
    FakeWorker.made = [];
    let n = 0;
    const sb = new WorkerSandbox(() => new FakeWorker(n++ === 0 ? 'hang' : 'echo'), async () => null);
    const t0 = Date.now();
    const [loop, ok] = await Promise.all([sb.run({ request: { op: 'fn', code: 'loop', args: [] }, limits: { timeoutMs: 100 } }), sb.run({ request: { op: 'fn', code: 'fine', args: [] }, limits: { timeoutMs: 50 } })]);
    expect(loop.ok).toBe(false);
    expect(loop.error!.message).toMatch(/stopped \(sandbox restarted\)/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(ok).toMatchObject({ ok: true, value: 'fine' });
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    expect(sb.restarts).toBe(1);
    sb.dispose();
  });
});
