import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../src/testing.js';

// Every route under /api, /prometheus, /loki, /otlp declares a permission (the server refuses to
// start otherwise) and answers 401 to an anonymous caller, except the public ones.
let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.dispose();
});

// login, the OpenAPI document, and the static document of the custom-component sandbox iframe
const PUBLIC = new Set(['POST /api/auth/login', 'GET /api/openapi.json', 'GET /api/lowcode/components/sandbox.html']);

describe('route permissions', () => {
  it('every API route declares a known permission', () => {
    expect(t.platform.routes.length).toBeGreaterThan(20);
    for (const r of t.platform.routes) {
      if (r.permission === 'public') {
        expect(PUBLIC.has(`${r.method} ${r.url}`) || r.url.startsWith('/api/docs'), `${r.method} ${r.url} is public`).toBe(true);
      } else {
        expect(t.platform.ctx.permissions.get(r.permission), `${r.method} ${r.url} → ${r.permission}`).toBeDefined();
      }
    }
  });

  it('every non-public API route refuses an anonymous caller with 401', async () => {
    const checked: string[] = [];
    for (const r of t.platform.routes) {
      if (r.permission === 'public') continue;
      const url = r.url.replace(/:(\w+)/g, 'x').replace(/\*/g, 'x');
      const res = await t.platform.app.inject({ method: r.method as any, url, payload: ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      const body = res.json();
      // the Prometheus API answers in Prometheus' own error shape; everything else in ours
      if (body.status === 'error') expect(body.error).toMatch(/authentication/);
      else expect(body.error.code).toMatch(/^AUTH_/);
      checked.push(r.url);
    }
    expect(checked.length).toBeGreaterThan(20);
  });

  it('every route in the OpenAPI document has request and response schemas', async () => {
    const spec = (await t.platform.app.inject({ url: '/api/openapi.json' })).json();
    let n = 0;
    for (const [path, ops] of Object.entries<any>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        n++;
        expect(op.responses?.['200'] ?? op.responses?.['201'] ?? op.responses?.['202'] ?? op.responses?.['204'], `${method} ${path} response`).toBeDefined();
        expect(op.summary, `${method} ${path} summary`).toBeTruthy();
      }
    }
    expect(n).toBeGreaterThan(20);
  });
});
