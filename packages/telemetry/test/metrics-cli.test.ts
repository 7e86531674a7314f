// `sreworks query` against a bare Fastify carrying metricsRoutes (as the server mounts it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Command } from 'commander';
import { fastify, type FastifyInstance } from 'fastify';
import { buildQueryRequest, registerQueryCommands, runQuery } from '../../../apps/cli/src/commands/query.js';
import { metricsRoutes, SqliteMetricsStore } from '../src/index.js';
import { fakeEngine, tempDir } from './metrics-helpers.js';

describe('sreworks query', () => {
  const tmp = tempDir();
  let store: SqliteMetricsStore;
  let app: FastifyInstance;
  let url = '';
  const seen: { auth?: string }[] = [];

  beforeAll(async () => {
    store = await SqliteMetricsStore.open({ file: join(tmp.dir, 'm.db') });
    const now = Date.now();
    const ts = Array.from({ length: 40 }, (_, i) => now - (40 - i) * 15_000);
    await store.append([{ labels: { __name__: 'up', job: 'api', instance: 'a' }, timestamps: ts, values: ts.map(() => 1) }]);
    app = fastify();
    app.addHook('onRequest', async (req) => void seen.push({ auth: req.headers.authorization }));
    await app.register(metricsRoutes, { prefix: '/prometheus', engine: fakeEngine(), store });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    tmp.dispose();
  });

  it('builds instant and range requests', () => {
    expect(buildQueryRequest('up', {}, 1000).path).toBe('/prometheus/api/v1/query');
    const r = buildQueryRequest('up', { range: '1h' }, 10_000);
    expect(r.path).toBe('/prometheus/api/v1/query_range');
    expect(Object.fromEntries(r.params)).toEqual({ query: 'up', start: '6400', end: '10000', step: '14' });
    expect(Object.fromEntries(buildQueryRequest('up', { range: '5m', step: '30s' }, 1000).params).step).toBe('30');
    expect(() => buildQueryRequest('up', { range: 'soon' })).toThrow(/--range/);
    expect(() => buildQueryRequest('up', { step: '1m' })).toThrow(/--step needs --range/);
  });

  it('prints an instant vector with the bearer token sent', async () => {
    const out: string[] = [];
    const code = await runQuery('up{job="api"}', {}, { env: { SREWORKS_URL: url + '/', SREWORKS_TOKEN: 'tok123' }, out: (s) => out.push(s), err: (s) => out.push('ERR ' + s) });
    expect(code).toBe(0);
    expect(out.join('\n')).toBe('up{instance="a", job="api"}  1');
    expect(seen.at(-1)!.auth).toBe('Bearer tok123');
  });

  it('runs a range query through commander and prints JSON', async () => {
    const out: string[] = [];
    const program = new Command().exitOverride();
    registerQueryCommands(program);
    const write = process.stdout.write.bind(process.stdout);
    process.env.SREWORKS_URL = url;
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'sreworks', 'query', 'up', '--range', '5m', '--step', '1m', '--json']);
    } finally {
      process.stdout.write = write;
      delete process.env.SREWORKS_URL;
    }
    const body = JSON.parse(out.join(''));
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('matrix');
    expect(body.data.result[0].values.length).toBeGreaterThanOrEqual(5);
  });

  it('reports query errors and missing configuration with non-zero codes', async () => {
    const err: string[] = [];
    expect(await runQuery('sum(', {}, { env: { SREWORKS_URL: url }, out: () => {}, err: (s) => err.push(s) })).toBe(1);
    expect(err.at(-1)).toMatch(/^bad_data: /);
    expect(await runQuery('up', {}, { env: {}, out: () => {}, err: (s) => err.push(s) })).toBe(2);
    expect(err.at(-1)).toMatch(/SREWORKS_URL/);
  });
});
