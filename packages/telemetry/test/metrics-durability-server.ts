// Child process for the kill -9 test: a bare Fastify with the remote_write route over the
// embedded store in the directory given as argv[2]. Prints the port when listening.
import { join } from 'node:path';
import { fastify } from 'fastify';
import { metricsRoutes, SqliteMetricsStore } from '../src/index.js';
import { fakeEngine } from './metrics-helpers.js';

// argv[4]: compact every N samples (small: compactions, in slices, run during the kill)
const store = await SqliteMetricsStore.open({
  file: join(process.argv[2]!, 'metrics.db'),
  synchronous: (process.argv[3] as 'FULL' | 'NORMAL') ?? 'FULL',
  compactEverySamples: process.argv[4] ? Number(process.argv[4]) : undefined,
});
const app = fastify();
await app.register(metricsRoutes, { engine: fakeEngine(), store });
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
