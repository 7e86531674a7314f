// HTTP routes of the AIOps services under /aiops. Small inputs run synchronously (200 with the
// result); large ones, or `?mode=async`, start a background run (202) to poll with GET
// /aiops/runs/:id. Every run is recorded in aiops_run with its parameters, an input summary,
// the output and the timing.
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { NotFoundError, toSchema, z } from '@sreworks/kernel';
import type { Store } from '@sreworks/store';
import { DETECTORS } from './algorithms/anomaly.js';
import { jobFor } from './services/jobs.js';
import { RunExecutor } from './services/run-executor.js';
import type { Run, RunKind } from './services/runs.js';
import { LogStreamService, type NewPattern } from './services/log-streams.js';

export interface AiopsRoutesOptions {
  store: Store;
  /** inputs larger than this (lines, points or metric values) run in the background. */
  syncLimit?: number;
  /** called once per template never seen before in a log stream (forward to alerting). */
  onNewPattern?: (e: NewPattern) => void;
  /** request body limit of the POST routes in bytes (default 64 MiB: large inputs run in the background). */
  bodyLimit?: number;
  /** executes and records runs; the module passes its own so its start hook resolves stale runs. */
  executor?: RunExecutor;
}

const streamParam = z.strictObject({ stream: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).describe('stream name: letters, digits, . _ -') });
const templateSchema = z.object({ id: z.number(), template: z.string(), count: z.number(), firstSeen: z.number(), lastSeen: z.number() });

const TAGS = ['aiops'];

const values = z.array(z.number().nullable()).min(1).max(10_000_000).describe('series values in time order; null = missing');
const mode = z.strictObject({ mode: z.enum(['auto', 'sync', 'async']).optional() });

const bodies = {
  'log-templates': z.strictObject({
    lines: z.array(z.string()).max(5_000_000).describe('one log message per element'),
    similarity: z.number().gt(0).lte(1).optional(),
  }),
  anomalies: z.strictObject({
    values,
    detector: z.enum(DETECTORS).optional(),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.number())])).optional(),
  }),
  periods: z.strictObject({ values, periodogram: z.enum(['ls', 'huber']).optional() }),
  forecast: z.strictObject({
    values,
    horizon: z.int().min(1).max(100_000),
    period: z.int().min(0).optional(),
    level: z.number().gt(0).lt(1).optional(),
  }),
  rca: z.strictObject({
    normal: z.record(z.string(), z.array(z.number().nullable())).describe('metric column `<service>_<metric>` → values before the fault'),
    anomalous: z.record(z.string(), z.array(z.number().nullable())).describe('same columns in the fault window'),
    dependsOn: z.record(z.string(), z.array(z.string())).optional(),
    changes: z.array(z.string()).optional(),
    logAnomalies: z.record(z.string(), z.number().min(0).max(1)).optional(),
    method: z.enum(['combined', 'baro', 'nsigma']).optional(),
  }),
} as const;

const runSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  params: z.record(z.string(), z.any()),
  inputSummary: z.record(z.string(), z.any()),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
});
const runWithResult = z.object({ run: runSchema, result: z.any().optional() });

const SUMMARY: Record<RunKind, string> = {
  'log-templates': 'Mine log templates (one per line) with the streaming Drain-family miner',
  anomalies: 'Score each point of a series for anomaly (streaming, no look-ahead)',
  periods: 'Detect the periods of a series (RobustPeriod: MODWT, Fisher test, ACF validation)',
  forecast: 'Forecast a series with seasonal Holt-Winters and prediction intervals',
  rca: 'Rank likely root-cause services from normal and fault-window metrics',
};

export const aiopsRoutes: FastifyPluginAsync<AiopsRoutesOptions> = async (app: FastifyInstance, opts) => {
  if (!opts?.store) throw new Error('aiopsRoutes needs { store }');
  // without an executor from the module (tests, embedding), the routes own one and stop it on close
  const owned = !opts.executor;
  const executor = opts.executor ?? new RunExecutor({ store: opts.store, log: app.log });
  const runs = executor.runs;
  const syncLimit = opts.syncLimit ?? 50_000;
  const bodyLimit = opts.bodyLimit ?? 64 * 1024 * 1024;
  if (owned) app.addHook('onClose', async () => executor.stop());

  const userOf = (req: FastifyRequest): string | undefined => (req as FastifyRequest & { auth?: { userId?: string } }).auth?.userId;

  for (const kind of Object.keys(bodies) as RunKind[]) {
    app.post(
      `/aiops/${kind}`,
      {
        schema: {
          tags: TAGS,
          summary: SUMMARY[kind],
          body: toSchema(bodies[kind]),
          querystring: toSchema(mode),
          response: { 200: toSchema(runWithResult, 'output'), 202: toSchema(z.object({ run: runSchema }), 'output') },
        },
        config: { permission: 'aiops.run' },
        bodyLimit,
      },
      async (req, reply) => {
        const job = jobFor(kind, req.body);
        const m = (req.query as { mode?: string }).mode ?? 'auto';
        const background = m === 'async' || (m === 'auto' && job.size > syncLimit);
        const run = await executor.create(kind, job, userOf(req));
        (req as FastifyRequest & { auditTarget?: string }).auditTarget = `aiops-run/${run.id}`;
        // background runs and large inputs (even in sync mode) go to a worker thread: they cannot
        // stall the server, and the timeout can stop them
        const execute = () => (background || job.size > syncLimit ? executor.runInWorker(run, kind, req.body) : executor.runInline(run, job));
        if (background) {
          void execute().then((r) => {
            if (r.error) req.log.warn({ err: r.error, run: run.id }, 'aiops background run failed');
          });
          return reply.code(202).send({ run });
        }
        const r = await execute();
        if (r.error) throw r.error;
        const saved = await runs.get(run.id);
        return { run: saved!.run, result: r.output };
      },
    );
  }

  const streams = new LogStreamService(opts.store, opts.onNewPattern);

  app.post(
    '/aiops/log-streams/:stream/lines',
    {
      schema: {
        tags: TAGS,
        summary: 'Ingest log lines into a persistent pattern stream; returns new patterns',
        params: toSchema(streamParam),
        body: toSchema(
          z.strictObject({
            lines: z.array(z.string()).min(1).max(100_000),
            times: z.array(z.number()).optional().describe('epoch ms per line (default: now)'),
          }),
        ),
        response: {
          200: toSchema(
            z.object({
              accepted: z.number(),
              lineTemplates: z.array(z.number()),
              newPatterns: z.array(z.object({ id: z.number(), template: z.string(), line: z.string() })),
            }),
            'output',
          ),
        },
      },
      config: { permission: 'aiops.run' },
      bodyLimit,
    },
    async (req) => {
      const { stream } = req.params as { stream: string };
      const body = req.body as { lines: string[]; times?: number[] };
      (req as FastifyRequest & { auditTarget?: string }).auditTarget = `aiops-log-stream/${stream}`;
      return streams.ingest(stream, body.lines, body.times);
    },
  );

  app.get(
    '/aiops/log-streams/:stream/templates',
    {
      schema: {
        tags: TAGS,
        summary: 'Templates of a log stream with their counts, most frequent first',
        params: toSchema(streamParam),
        response: { 200: toSchema(z.object({ items: z.array(templateSchema) }), 'output') },
      },
      config: { permission: 'aiops.read' },
    },
    async (req) => ({ items: await streams.templates((req.params as { stream: string }).stream) }),
  );

  app.get(
    '/aiops/log-streams/:stream/templates/:id/counts',
    {
      schema: {
        tags: TAGS,
        summary: 'Counts of one template per 5-minute bucket (last day)',
        params: toSchema(streamParam.extend({ id: z.coerce.number().int().min(0) })),
        response: { 200: toSchema(z.object({ buckets: z.array(z.object({ start: z.number(), count: z.number() })) }), 'output') },
      },
      config: { permission: 'aiops.read' },
    },
    async (req) => {
      const p = req.params as { stream: string; id: number | string };
      return { buckets: await streams.counts(p.stream, Number(p.id)) };
    },
  );

  app.get(
    '/aiops/runs',
    {
      schema: {
        tags: TAGS,
        summary: 'List recorded AIOps runs, newest first',
        querystring: toSchema(z.strictObject({ kind: z.enum(Object.keys(bodies) as [RunKind, ...RunKind[]]).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().optional() })),
        response: { 200: toSchema(z.object({ items: z.array(runSchema), nextCursor: z.string().nullable() }), 'output') },
      },
      config: { permission: 'aiops.read' },
    },
    async (req) => {
      const q = req.query as { kind?: string; limit?: number | string; cursor?: string };
      return runs.list({ kind: q.kind, limit: q.limit === undefined ? undefined : Number(q.limit), cursor: q.cursor });
    },
  );

  app.get(
    '/aiops/runs/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Get one AIOps run with its result',
        params: toSchema(z.strictObject({ id: z.string().min(1).max(64) })),
        response: { 200: toSchema(runWithResult, 'output') },
      },
      config: { permission: 'aiops.read' },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const got = await runs.get(id);
      if (!got) throw new NotFoundError(`aiops run ${id} not found`, 'AIOPS_RUN_NOT_FOUND', { field: 'params.id' });
      return got.run.status === 'succeeded' ? { run: got.run, result: got.output } : { run: got.run };
    },
  );
};

export type { Run };
