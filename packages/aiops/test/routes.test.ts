import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { isPlatformError } from '@sreworks/kernel';
import { migrate } from '@sreworks/store';
import { testDialects } from '@sreworks/store/testing';
import { aiopsMigrations, aiopsPermissions, aiopsRoutes, LogStreamService, RunStore, type NewPattern } from '../src/index.js';

const sqlite = testDialects().find((d) => d.name === 'sqlite')!;
const seen: { url: string; method: string | string[]; config?: { permission?: string }; schema?: { tags?: string[]; summary?: string; body?: unknown } }[] = [];

async function build(store: Parameters<typeof aiopsRoutes>[1]['store'], syncLimit?: number, onNewPattern?: (e: NewPattern) => void): Promise<FastifyInstance> {
  // a bare instance with the server's conventions: strict bodies, one error format
  const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array' } } });
  app.setErrorHandler((err, _req, reply) => {
    if (isPlatformError(err)) return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    const e = err as { validation?: unknown; statusCode?: number; message: string };
    if (e.validation) return reply.code(400).send({ error: { code: 'INPUT_INVALID', message: e.message } });
    return reply.code(e.statusCode ?? 500).send({ error: { code: 'INTERNAL', message: e.message } });
  });
  app.addHook('onRoute', (r) => void seen.push(r as never));
  await app.register(aiopsRoutes, { store, syncLimit, onNewPattern });
  return app;
}

describe('aiops routes (SQLite)', () => {
  let h: Awaited<ReturnType<typeof sqlite.open>>;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await sqlite.open();
    await migrate(h.store, aiopsMigrations);
    app = await build(h.store, 1000);
  });
  afterAll(async () => {
    await app?.close();
    await h?.dispose();
  });

  it('declares permission, tags and summary on every route', () => {
    const names = aiopsPermissions.map((p) => p.name).sort();
    expect(names).toEqual(['aiops.read', 'aiops.run']);
    const own = seen.filter((r) => r.url.startsWith('/aiops') && r.method !== 'HEAD');
    expect(own.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /aiops/log-streams/:stream/templates',
      'GET /aiops/log-streams/:stream/templates/:id/counts',
      'GET /aiops/runs',
      'GET /aiops/runs/:id',
      'POST /aiops/anomalies',
      'POST /aiops/forecast',
      'POST /aiops/log-streams/:stream/lines',
      'POST /aiops/log-templates',
      'POST /aiops/periods',
      'POST /aiops/rca',
    ]);
    for (const r of own) {
      expect(names).toContain(r.config?.permission);
      expect(r.schema?.tags).toEqual(['aiops']);
      expect(r.schema?.summary).toBeTruthy();
      if (r.method === 'POST') expect(r.schema?.body).toBeTruthy();
    }
  });

  it('mines log templates synchronously and records the run', async () => {
    const res = await app.inject({ method: 'POST', url: '/aiops/log-templates', payload: { lines: ['open file /a/b id 1', 'open file /c/d id 22', 'shutting down'] } });
    expect(res.statusCode).toBe(200);
    const j = res.json();
    expect(j.result.lineTemplates[0]).toBe(j.result.lineTemplates[1]);
    expect(j.result.templates.map((t: { template: string }) => t.template)).toContain('open file <*> id <*>');
    expect(j.run.status).toBe('succeeded');
    expect(j.run.inputSummary.lines).toBe(3);
    expect(j.run.durationMs).toBeGreaterThanOrEqual(0);
    const got = await app.inject({ method: 'GET', url: `/aiops/runs/${j.run.id}` });
    expect(got.json().result.templates.length).toBe(2);
  });

  it('answers anomalies, periods, forecast and rca', async () => {
    const vs = Array.from({ length: 300 }, (_, i) => 10 + 3 * Math.sin((2 * Math.PI * i) / 24));
    const an = await app.inject({ method: 'POST', url: '/aiops/anomalies', payload: { values: [...vs.slice(0, 200), 80, ...vs.slice(201)], detector: 'nsigma' } });
    expect(an.statusCode).toBe(200);
    expect(an.json().result.scores[200]).toBeGreaterThan(0.5);
    const pe = await app.inject({ method: 'POST', url: '/aiops/periods', payload: { values: vs } });
    expect(pe.json().result.periods[0].period).toBe(24);
    const fc = await app.inject({ method: 'POST', url: '/aiops/forecast', payload: { values: vs, horizon: 24 } });
    expect(fc.statusCode).toBe(200);
    expect(fc.json().result.period).toBe(24);
    expect(fc.json().result.mean.length).toBe(24);
    const rca = await app.inject({
      method: 'POST',
      url: '/aiops/rca',
      payload: { normal: { a_cpu: [1, 1.1, 0.9, 1], b_cpu: [2, 2.1, 1.9, 2] }, anomalous: { a_cpu: [1, 1.05], b_cpu: [9, 9.5] }, dependsOn: { a: ['b'] } },
    });
    expect(rca.json().result.ranking[0].service).toBe('b');
  });

  it('refuses bad input with 4xx naming the problem', async () => {
    const unknownField = await app.inject({ method: 'POST', url: '/aiops/periods', payload: { values: [1, 2], extra: 1 } });
    expect(unknownField.statusCode).toBe(400);
    const empty = await app.inject({ method: 'POST', url: '/aiops/anomalies', payload: { values: [] } });
    expect(empty.statusCode).toBe(400);
    const shortFc = await app.inject({ method: 'POST', url: '/aiops/forecast', payload: { values: [1], horizon: 3 } });
    expect(shortFc.statusCode).toBe(400);
    expect(shortFc.json().error.code).toBe('AIOPS_INPUT_TOO_SHORT');
    const noCols = await app.inject({ method: 'POST', url: '/aiops/rca', payload: { normal: { x_cpu: [1] }, anomalous: { y_cpu: [1] } } });
    expect(noCols.statusCode).toBe(400);
    const missing = await app.inject({ method: 'GET', url: '/aiops/runs/nope' });
    expect(missing.statusCode).toBe(404);
    const nan = await app.inject({ method: 'POST', url: '/aiops/periods', payload: { values: [null, null, 1] } });
    expect(nan.statusCode).toBe(200);
    expect(nan.json().result.periods).toEqual([]);
  });

  it('keeps persistent log streams with counts over time and new-pattern events', async () => {
    const events: NewPattern[] = [];
    const other = await build(h.store, 1000, (e) => events.push(e));
    try {
      const t0 = Date.UTC(2026, 0, 1);
      const r1 = await other.inject({
        method: 'POST',
        url: '/aiops/log-streams/shop.api/lines',
        payload: { lines: ['GET /cart 200 in 12 ms', 'GET /cart 500 in 900 ms', 'cache miss for key abc'], times: [t0, t0 + 1000, t0 + 400_000] },
      });
      expect(r1.statusCode).toBe(200);
      expect(r1.json().newPatterns.map((p: { template: string }) => p.template)).toEqual(['GET /cart <*> in <*> ms', 'cache miss for key abc']);
      expect(events.map((e) => e.stream)).toEqual(['shop.api', 'shop.api']);
      // a fresh plugin instance on the same database resumes the stream from its stored state
      const again = await build(h.store);
      try {
        const r2 = await again.inject({ method: 'POST', url: '/aiops/log-streams/shop.api/lines', payload: { lines: ['GET /cart 200 in 15 ms'], times: [t0 + 2000] } });
        expect(r2.json().newPatterns).toEqual([]);
        expect(r2.json().lineTemplates[0]).toBe(r1.json().lineTemplates[0]);
        const list = (await again.inject({ method: 'GET', url: '/aiops/log-streams/shop.api/templates' })).json();
        expect(list.items[0]).toMatchObject({ template: 'GET /cart <*> in <*> ms', count: 3 });
        const counts = (await again.inject({ method: 'GET', url: `/aiops/log-streams/shop.api/templates/${list.items[0].id}/counts` })).json();
        expect(counts.buckets).toEqual([{ start: t0, count: 3 }]);
      } finally {
        await again.close();
      }
      expect((await other.inject({ method: 'GET', url: '/aiops/log-streams/nope/templates' })).statusCode).toBe(404);
      expect((await other.inject({ method: 'POST', url: '/aiops/log-streams/bad%20name/lines', payload: { lines: ['x'] } })).statusCode).toBe(400);
      expect((await other.inject({ method: 'POST', url: '/aiops/log-streams/s/lines', payload: { lines: ['x'], times: [1, 2] } })).statusCode).toBe(400);
    } finally {
      await other.close();
    }
  });

  it('runs large inputs in the background and lists runs', async () => {
    const vs = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 7));
    const res = await app.inject({ method: 'POST', url: '/aiops/anomalies', payload: { values: vs } });
    expect(res.statusCode).toBe(202);
    const id = res.json().run.id;
    let got;
    // background runs start a worker thread: allow for a loaded machine
    for (const until = Date.now() + 30_000; Date.now() < until; ) {
      got = (await app.inject({ method: 'GET', url: `/aiops/runs/${id}` })).json();
      if (got.run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(got.run.status).toBe('succeeded');
    expect(got.result.scores.length).toBe(5000);
    const forced = await app.inject({ method: 'POST', url: '/aiops/periods?mode=async', payload: { values: [1, 2, 3] } });
    expect(forced.statusCode).toBe(202);
    const list = await app.inject({ method: 'GET', url: '/aiops/runs?limit=2' });
    expect(list.json().items.length).toBe(2);
    expect(list.json().nextCursor).toBeTruthy();
    const next = await app.inject({ method: 'GET', url: `/aiops/runs?limit=50&cursor=${list.json().nextCursor}` });
    expect(next.json().items.length).toBeGreaterThan(0);
    const kinds = await app.inject({ method: 'GET', url: '/aiops/runs?kind=log-templates' });
    expect(kinds.json().items.every((r: { kind: string }) => r.kind === 'log-templates')).toBe(true);
  });
});

for (const dialect of testDialects()) {
  describe(`aiops_run on ${dialect.name}`, () => {
    let h: Awaited<ReturnType<typeof dialect.open>>;
    beforeAll(async () => {
      h = await dialect.open();
      await migrate(h.store, aiopsMigrations);
    });
    afterAll(async () => {
      await h?.dispose();
    });
    it('creates, finishes, reads and pages runs', async () => {
      const runs = new RunStore(h.store);
      const a = await runs.create('periods', { periodogram: 'ls' }, { points: 3 }, 'u1');
      const b = await runs.create('rca', {}, { columns: 2 });
      await runs.finish(a.id, { output: { periods: [{ period: 12 }] }, durationMs: 1.5 });
      await runs.finish(b.id, { error: 'bad', durationMs: 0.2 });
      const ga = await runs.get(a.id);
      expect(ga!.run.status).toBe('succeeded');
      expect(ga!.run.durationMs).toBeCloseTo(1.5);
      expect(ga!.output).toEqual({ periods: [{ period: 12 }] });
      expect((await runs.get(b.id))!.run.error).toBe('bad');
      const p1 = await runs.list({ limit: 1 });
      expect(p1.items.length).toBe(1);
      const p2 = await runs.list({ limit: 1, cursor: p1.nextCursor! });
      expect(p2.items[0]!.id).not.toBe(p1.items[0]!.id);
      expect((await runs.list({ kind: 'rca' })).items.map((r) => r.id)).toEqual([b.id]);
    });
    it('stores and resumes log stream state', async () => {
      const a = new LogStreamService(h.store);
      await a.ingest('s1', ['worker 1 started', 'worker 2 started', 'queue é full'], [0, 1, 2]);
      const b = new LogStreamService(h.store);
      const r = await b.ingest('s1', ['worker 3 started', 'queue é full'], [3, 4]);
      expect(r.newPatterns).toEqual([]);
      expect((await b.templates('s1')).map((t) => [t.template, t.count])).toEqual([
        ['worker <*> started', 3],
        ['queue é full', 2],
      ]);
    });
  });
}

describe('error codes', () => {
  it('lists every AIOPS_* code the package raises', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { aiopsErrorCodes } = await import('../src/index.js');
    const root = join(import.meta.dirname, '..', 'src');
    const used = new Set<string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (!p.endsWith('errors.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/'(AIOPS_[A-Z_]+)'/g)) used.add(m[1]!);
      }
    };
    walk(root);
    expect([...used].sort()).toEqual(Object.keys(aiopsErrorCodes).sort());
  });
});
