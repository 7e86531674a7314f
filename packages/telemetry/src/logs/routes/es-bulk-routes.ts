import { toSchema, z } from '@sreworks/kernel';
import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_INGEST_LIMITS } from '../ingest/body.js';
import { decodeEsBulk } from '../ingest/es-bulk.js';
import { IngestLimiter, TELEMETRY_READ, TELEMETRY_WRITE, bodyBuffer, header, limiterHooks, logsFor, rawBodies, type LogRoutesOptions } from './common.js';

const TAGS = ['logs'];
/** The version Beats and Fluent Bit read from `GET /`; 8.x keeps Filebeat 7.10+ and 8.x happy. */
const ES_VERSION = '8.13.0';
const indexParam = toSchema(z.object({ index: z.string().min(1).max(255).regex(/^[^\s"*\\<|,>/?#:]+$/, 'an index name') }));

/**
 * A minimal Elasticsearch ingestion shim for log shippers, mounted under `/api`: the version probe,
 * the template/ILM calls Beats make at start, and `_bulk`. It is not Elasticsearch: nothing can be
 * searched through it (use the Loki API).
 */
export const esBulkRoutes: FastifyPluginAsync<LogRoutesOptions> = async (app, opts) => {
  const limiter = opts.limiter ?? new IngestLimiter();
  const limits = opts.ingestLimits ?? DEFAULT_INGEST_LIMITS;
  rawBodies(app, opts.bodyLimit ?? 20 * 1024 * 1024);
  const hooks = limiterHooks(limiter);
  // Official Elastic clients refuse a server without this header (product check, 7.14+).
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Elastic-Product', 'Elasticsearch');
    return payload;
  });

  const info = {
    name: 'sreworks',
    cluster_name: 'sreworks',
    cluster_uuid: 'sreworks-logs',
    version: { number: ES_VERSION, build_flavor: 'default', build_type: 'docker', lucene_version: '9.10.0', minimum_wire_compatibility_version: '7.17.0', minimum_index_compatibility_version: '7.0.0' },
    tagline: 'You Know, for Search',
  };
  for (const url of ['/ingest/es', '/ingest/es/']) {
    app.get(url, {
      config: { permission: TELEMETRY_READ },
      schema: { tags: TAGS, summary: 'Elasticsearch version probe (what Beats call first)' },
      handler: async () => info,
    });
  }

  const bulk = async (req: import('fastify').FastifyRequest, index: string | undefined) => {
    const started = performance.now();
    const logs = logsFor(opts, req);
    const decoded = decodeEsBulk(bodyBuffer(req), header(req, 'content-encoding'), index, limits);
    await logs.append(decoded.streams);
    return { took: Math.round(performance.now() - started), errors: decoded.errors, items: decoded.items };
  };
  app.post('/ingest/es/_bulk', {
    config: { permission: TELEMETRY_WRITE },
    schema: { tags: TAGS, summary: 'Elasticsearch _bulk (index/create become log lines)' },
    onRequest: hooks.onRequest,
    onResponse: hooks.onResponse,
    handler: async (req) => bulk(req, undefined),
  });
  app.post('/ingest/es/:index/_bulk', {
    config: { permission: TELEMETRY_WRITE },
    schema: { tags: TAGS, summary: 'Elasticsearch _bulk into a default index', params: indexParam },
    onRequest: hooks.onRequest,
    onResponse: hooks.onResponse,
    handler: async (req) => bulk(req, (req.params as { index: string }).index),
  });

  // Beats read the license before setting up ILM; a basic, active one lets them proceed.
  app.get('/ingest/es/_license', {
    config: { permission: TELEMETRY_READ },
    schema: { tags: TAGS, summary: 'Elasticsearch license probe (basic, active)' },
    handler: async () => ({ license: { status: 'active', uid: 'sreworks', type: 'basic', issue_date_in_millis: 0, max_nodes: 1000, issued_to: 'sreworks', issuer: 'sreworks', start_date_in_millis: -1 } }),
  });

  // Beats check and install templates and ILM policies at start; answer "exists / acknowledged".
  const nameParam = toSchema(z.object({ name: z.string().min(1).max(255) }));
  for (const kind of ['_index_template', '_template', '_ilm/policy', '_component_template']) {
    app.get(`/ingest/es/${kind}/:name`, {
      config: { permission: TELEMETRY_READ },
      schema: { tags: TAGS, summary: `Elasticsearch ${kind} probe (always present)`, params: nameParam },
      handler: async (req) => ({ [(req.params as { name: string }).name]: {} }),
    });
    app.put(`/ingest/es/${kind}/:name`, {
      config: { permission: TELEMETRY_WRITE },
      schema: { tags: TAGS, summary: `Elasticsearch ${kind} install (accepted, ignored)`, params: nameParam },
      handler: async () => ({ acknowledged: true }),
    });
  }
};
