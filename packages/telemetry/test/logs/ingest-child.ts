// Child process for the kill -9 test: a Loki push endpoint on the SQLite store, nothing else.
import Fastify from 'fastify';
import { lokiRoutes, SqliteLogStore } from '../../src/index.js';

const path = process.argv[2]!;
// argv[3]: synchronous mode; the platform's default is normal (SREWORKS_SQLITE_SYNC)
const store = new SqliteLogStore({ path, synchronous: process.argv[3] === 'full' ? 'full' : 'normal' });
const app = Fastify();
await app.register(lokiRoutes, { logs: store, prefix: '/loki' });
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
