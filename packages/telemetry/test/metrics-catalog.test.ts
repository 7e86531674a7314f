import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastify, type FastifyInstance } from 'fastify';
import { isPlatformError } from '@sreworks/kernel';
import { migrate } from '@sreworks/store';
import { testDialects } from '@sreworks/store/testing';
import { catalogRoutes, loadScrapeJobs, telemetryMigrations } from '../src/index.js';

for (const dialect of testDialects()) {
  describe(`DataOps catalogue on ${dialect.name}`, () => {
    let h: Awaited<ReturnType<typeof dialect.open>>;
    let app: FastifyInstance;

    beforeAll(async () => {
      h = await dialect.open();
      expect(await migrate(h.store, telemetryMigrations)).toEqual(['20261126_01_telemetry_catalog']);
      // as the server configures ajv: unknown body fields are refused, not stripped
      app = fastify({ ajv: { customOptions: { removeAdditional: false } } });
      // the server's error shape, reproduced for the test
      app.setErrorHandler((e, _req, reply) => {
        if (isPlatformError(e)) return reply.code(e.status).send({ error: { code: e.code, message: e.message, details: e.details } });
        const fe = e as { statusCode?: number; code?: string; message: string };
        return reply.code(fe.statusCode ?? 500).send({ error: { code: fe.code ?? 'INTERNAL', message: fe.message } });
      });
      await app.register(catalogRoutes, {
        prefix: '/api',
        store: h.store,
        validatePromQL: (q) => {
          if ((q.match(/\(/g) ?? []).length !== (q.match(/\)/g) ?? []).length) throw new Error('unbalanced parentheses');
        },
      });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await h?.dispose();
    });

    it('creates, lists, updates and deletes data sources and metric definitions', async () => {
      const ds = await app.inject({ method: 'POST', url: '/api/dataops/datasources', payload: { teamId: 't1', name: 'prod-prometheus', kind: 'remote_write', description: 'Prometheus in prod', config: { url: 'http://prom:9090' } } });
      expect(ds.statusCode, ds.body).toBe(201);
      const dsId = ds.json().id;
      const dup = await app.inject({ method: 'POST', url: '/api/dataops/datasources', payload: { teamId: 't1', name: 'prod-prometheus', kind: 'otlp' } });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.code).toBe('TELEMETRY_DATASOURCE_EXISTS');
      // the same name in another team is fine
      expect((await app.inject({ method: 'POST', url: '/api/dataops/datasources', payload: { teamId: 't2', name: 'prod-prometheus', kind: 'otlp' } })).statusCode).toBe(201);

      const m = await app.inject({
        method: 'POST',
        url: '/api/dataops/metrics',
        payload: { teamId: 't1', name: 'api:error_ratio:rate5m', type: 'derived', labels: ['job', 'instance'], owner: 'sre-team', description: 'Share of 5xx', promql: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))', datasourceId: dsId },
      });
      expect(m.statusCode, m.body).toBe(201);
      expect(m.json()).toMatchObject({ name: 'api:error_ratio:rate5m', labels: ['job', 'instance'], owner: 'sre-team', datasourceId: dsId });
      const mId = m.json().id;

      const list = await app.inject({ method: 'GET', url: '/api/dataops/metrics?teamId=t1' });
      expect(list.json().items.map((x: { name: string }) => x.name)).toEqual(['api:error_ratio:rate5m']);
      const patched = await app.inject({ method: 'PATCH', url: `/api/dataops/metrics/${mId}`, payload: { owner: 'platform', labels: ['job'] } });
      expect(patched.json()).toMatchObject({ owner: 'platform', labels: ['job'] });
      expect((await app.inject({ method: 'GET', url: `/api/dataops/metrics/${mId}` })).json().owner).toBe('platform');

      const inUse = await app.inject({ method: 'DELETE', url: `/api/dataops/datasources/${dsId}` });
      expect(inUse.statusCode).toBe(409);
      expect((await app.inject({ method: 'DELETE', url: `/api/dataops/metrics/${mId}` })).statusCode).toBe(204);
      expect((await app.inject({ method: 'DELETE', url: `/api/dataops/datasources/${dsId}` })).statusCode).toBe(204);
      const gone = await app.inject({ method: 'GET', url: `/api/dataops/datasources/${dsId}` });
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.details.field).toBe('params.id');
    });

    it('pages lists with a cursor', async () => {
      for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: '/api/dataops/metrics', payload: { teamId: 'tp', name: `m_${i}`, type: 'gauge' } });
      const p1 = (await app.inject({ method: 'GET', url: '/api/dataops/metrics?teamId=tp&limit=3' })).json();
      expect(p1.items).toHaveLength(3);
      const p2 = (await app.inject({ method: 'GET', url: `/api/dataops/metrics?teamId=tp&limit=3&cursor=${p1.nextCursor}` })).json();
      expect(p2.items).toHaveLength(2);
      expect(p2.nextCursor).toBeNull();
    });

    it('keeps scrape jobs as data sources and loads them for the scrape manager', async () => {
      const ok = await app.inject({
        method: 'POST',
        url: '/api/dataops/datasources',
        payload: { teamId: 'ts', name: 'node', kind: 'scrape', config: { targets: [{ url: 'http://127.0.0.1:9100/metrics', labels: { env: 'prod' } }], intervalMs: 15000, relabelConfigs: [{ action: 'drop', source_labels: ['env'], regex: 'dev' }] } },
      });
      expect(ok.statusCode, ok.body).toBe(201);
      const badUrl = await app.inject({ method: 'POST', url: '/api/dataops/datasources', payload: { teamId: 'ts', name: 'n2', kind: 'scrape', config: { targets: [{ url: 'ftp://x' }] } } });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.json().error.details.field).toBe('body.config.targets.0.url');
      const badRegex = await app.inject({ method: 'POST', url: '/api/dataops/datasources', payload: { teamId: 'ts', name: 'n3', kind: 'scrape', config: { targets: [{ url: 'http://a:1/m' }], metricRelabelConfigs: [{ action: 'keep', regex: '(' }] } } });
      expect(badRegex.statusCode).toBe(400);
      expect(badRegex.json().error.details.field).toBe('body.config.metricRelabelConfigs[0].regex');
      const badPatch = await app.inject({ method: 'PATCH', url: `/api/dataops/datasources/${ok.json().id}`, payload: { config: { targets: [] } } });
      expect(badPatch.statusCode).toBe(400);
      const jobs = await loadScrapeJobs(h.store);
      expect(jobs).toEqual([
        {
          job: 'node',
          targets: [{ url: 'http://127.0.0.1:9100/metrics', labels: { team: 'ts', env: 'prod' } }],
          intervalMs: 15000,
          timeoutMs: undefined,
          relabelConfigs: [{ action: 'drop', source_labels: ['env'], regex: 'dev' }],
          metricRelabelConfigs: undefined,
          honorLabels: undefined,
        },
      ]);
    });

    it('refuses bad input naming the field', async () => {
      const noPromql = await app.inject({ method: 'POST', url: '/api/dataops/metrics', payload: { teamId: 't1', name: 'd', type: 'derived' } });
      expect(noPromql.statusCode).toBe(400);
      expect(noPromql.json().error.details.field).toBe('body.promql');
      const badPromql = await app.inject({ method: 'POST', url: '/api/dataops/metrics', payload: { teamId: 't1', name: 'd', type: 'derived', promql: 'sum(rate(x[5m])' } });
      expect(badPromql.statusCode).toBe(400);
      expect(badPromql.json().error.message).toMatch(/unbalanced/);
      const badName = await app.inject({ method: 'POST', url: '/api/dataops/metrics', payload: { teamId: 't1', name: 'bad-name', type: 'gauge' } });
      expect(badName.statusCode).toBe(400);
      const unknownField = await app.inject({ method: 'POST', url: '/api/dataops/datasources', payload: { teamId: 't1', name: 'x', kind: 'otlp', extra: 1 } });
      expect(unknownField.statusCode).toBe(400);
      const badDs = await app.inject({ method: 'POST', url: '/api/dataops/metrics', payload: { teamId: 't1', name: 'e', type: 'gauge', datasourceId: 'nope' } });
      expect(badDs.statusCode).toBe(404);
      expect(badDs.json().error.details.field).toBe('body.datasourceId');
    });
  });
}
