import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_INGEST_LIMITS, mediaType } from '../ingest/body.js';
import { decodeOtlpLogs, otlpSuccessBody } from '../ingest/otlp-logs.js';
import { IngestLimiter, TELEMETRY_WRITE, bodyBuffer, header, limiterHooks, logsFor, rawBodies, type LogRoutesOptions } from './common.js';

/** OTLP/HTTP logs, mounted under `/otlp` (`POST /otlp/v1/logs`), JSON or protobuf, optional gzip. */
export const otlpLogsRoutes: FastifyPluginAsync<LogRoutesOptions> = async (app, opts) => {
  const limiter = opts.limiter ?? new IngestLimiter();
  const limits = opts.ingestLimits ?? DEFAULT_INGEST_LIMITS;
  rawBodies(app, opts.bodyLimit ?? 20 * 1024 * 1024);
  const hooks = limiterHooks(limiter);
  app.post('/v1/logs', {
    config: { permission: TELEMETRY_WRITE },
    schema: { tags: ['logs'], summary: 'Export logs (OTLP/HTTP, JSON or protobuf)' },
    onRequest: hooks.onRequest,
    onResponse: hooks.onResponse,
    handler: async (req, reply) => {
      const logs = logsFor(opts, req);
      const ct = header(req, 'content-type');
      const streams = decodeOtlpLogs(bodyBuffer(req), { contentType: ct, contentEncoding: header(req, 'content-encoding') }, limits);
      await logs.append(streams);
      // The response mirrors the request encoding, as the OTLP spec asks.
      const proto = mediaType(ct) !== 'application/json';
      reply.code(200).header('content-type', proto ? 'application/x-protobuf' : 'application/json');
      return reply.send(proto ? otlpSuccessBody(true) : JSON.stringify(otlpSuccessBody(false)));
    },
  });
};
