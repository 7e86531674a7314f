import Fastify, { type FastifyInstance } from 'fastify';
import { isPlatformError } from '@sreworks/kernel';
import { eventRoutes, esBulkRoutes, lokiRoutes, otlpLogsRoutes, type IngestLimiter, type LogRoutesOptions, type LogStore } from '../../src/index.js';

export interface RouteInfo {
  method: string | string[];
  url: string;
  permission?: string;
  tags?: readonly string[];
  summary?: string;
}

/** A bare Fastify with the four log plugins and an error handler shaped like the server's. */
export async function buildLogsApp(
  logs: LogStore,
  limiter?: IngestLimiter,
  before?: (app: FastifyInstance) => void,
  extra: Partial<LogRoutesOptions> = {},
): Promise<{ app: FastifyInstance; routes: RouteInfo[] }> {
  const app = Fastify();
  before?.(app);
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    routes.push({ method: r.method, url: r.url, permission: r.config?.permission, tags: r.schema?.tags, summary: r.schema?.summary });
  });
  app.setErrorHandler((err, _req, reply) => {
    if (isPlatformError(err)) return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    const e = err as { statusCode?: number; code?: string; message: string };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    return reply.code(status).send({ error: { code: e.code ?? 'INTERNAL', message: e.message } });
  });
  const opts = { ...extra, logs, ...(limiter ? { limiter } : {}) };
  await app.register(lokiRoutes, { ...opts, prefix: '/loki' });
  await app.register(otlpLogsRoutes, { ...opts, prefix: '/otlp' });
  await app.register(eventRoutes, { ...opts, prefix: '/api' });
  await app.register(esBulkRoutes, { ...opts, prefix: '/api' });
  await app.ready();
  return { app, routes };
}
