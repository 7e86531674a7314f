// Telemetry in the platform: metrics (SQLite in the data dir, or ClickHouse), logs and events
// (their own SQLite file, or ClickHouse), ingestion and query routes under the prefixes Grafana,
// Prometheus, Loki clients and OpenTelemetry collectors expect, scraping, and Kubernetes events
// from registered clusters.
import type { FastifyRequest } from 'fastify';
import { InputError, NotAllowedError } from '@sreworks/kernel';
import { createEngine, parse } from '@sreworks/promql';
import {
  catalogRoutes, createLogStore, esBulkRoutes, eventRoutes, IngestLimiter, loadScrapeJobs, lokiRoutes, metricsRoutes, MetricsIngestor,
  openMetricsStore, otlpLogsRoutes, otlpMetricsRoutes, ScrapeManager, telemetryMigrations, telemetryPermissions, type LogStore, type MetricsStore,
} from '@sreworks/telemetry';
import type { PlatformModule } from './core/module.js';
import { KubeEventCollector } from './kube-events.js';

type Auth = NonNullable<FastifyRequest['auth']>;

const orgHeader = (req: FastifyRequest) => {
  const v = req.headers['x-scope-orgid'];
  return typeof v === 'string' && v ? v : undefined;
};

function mayActFor(a: Auth, team: string): void {
  if (a.platformRole !== 'admin' && !a.teams.has(team)) throw new NotAllowedError(`you are not a member of team ${team}`, 'TELEMETRY_TENANT', { field: 'headers.x-scope-orgid' });
}

function teamsOf(a: Auth): string[] {
  const teams = [...a.teams.keys()];
  if (teams.length === 0) throw new NotAllowedError('telemetry belongs to teams; join a team first', 'TELEMETRY_TENANT');
  return teams;
}

/**
 * The team a telemetry call acts for: `X-Scope-OrgID: <team id>` (the Cortex/Loki convention),
 * else the caller's only team. Admins without the header act for no team (they see everything).
 */
export function tenantOf(req: FastifyRequest): string | undefined {
  const a = req.auth;
  if (!a) return undefined;
  const asked = orgHeader(req);
  if (asked) {
    mayActFor(a, asked);
    return asked;
  }
  if (a.platformRole === 'admin') return undefined;
  const teams = teamsOf(a);
  if (teams.length === 1) return teams[0];
  throw new InputError('you are in several teams: name one with the X-Scope-OrgID header', { field: 'headers.x-scope-orgid' }, 'TELEMETRY_TENANT');
}

/**
 * The teams a telemetry read covers: the X-Scope-OrgID team(s) (`a|b`, as Cortex tenant
 * federation writes it), else every team of the caller, so a member of several teams reads them
 * all (Grafana and the console send no header). Admins without the header read everything.
 */
export function readTenantsOf(req: FastifyRequest): string[] | undefined {
  const a = req.auth;
  if (!a) return undefined;
  const ids = [...new Set((orgHeader(req) ?? '').split('|').map((x) => x.trim()).filter(Boolean))];
  for (const id of ids) mayActFor(a, id);
  if (ids.length) return ids;
  if (a.platformRole === 'admin') return undefined;
  return teamsOf(a);
}

export function telemetryModule(): PlatformModule {
  let metrics: MetricsStore | undefined;
  let logs: LogStore | undefined;
  let scraper: ScrapeManager | undefined;
  let events: KubeEventCollector | undefined;
  let ingestor: MetricsIngestor | undefined;
  return {
    name: 'telemetry',
    permissions: telemetryPermissions,
    migrations: telemetryMigrations,
    async routes(app, ctx) {
      const ch = process.env.SREWORKS_CLICKHOUSE_URL;
      const chAuth = { username: process.env.SREWORKS_CLICKHOUSE_USER, password: process.env.SREWORKS_CLICKHOUSE_PASSWORD, database: process.env.SREWORKS_CLICKHOUSE_DATABASE };
      // The same durability as the state store: WAL + NORMAL keeps every acknowledged write through
      // kill -9 (what a 2xx promises, and what Prometheus' own WAL gives); FULL adds power-loss safety.
      const full = process.env.SREWORKS_SQLITE_SYNC === 'FULL';
      metrics = await openMetricsStore(ch ? { kind: 'clickhouse', url: ch, ...chAuth } : { kind: 'sqlite', dataDir: ctx.config.dataDir, synchronous: full ? 'FULL' : 'NORMAL' });
      logs = createLogStore(ch ? { kind: 'clickhouse', url: ch, ...chAuth } : { kind: 'sqlite', dataDir: ctx.config.dataDir, synchronous: full ? 'full' : 'normal' });
      ingestor = new MetricsIngestor(metrics);
      const limiter = new IngestLimiter();
      const engine = createEngine();
      await app.register(metricsRoutes, { prefix: '/prometheus', engine, store: metrics, ingestor, tenantOf, readTenantsOf });
      await app.register(otlpMetricsRoutes, { prefix: '/otlp', store: metrics, ingestor, tenantOf });
      await app.register(otlpLogsRoutes, { prefix: '/otlp', logs, limiter, tenantOf });
      await app.register(lokiRoutes, { prefix: '/loki', logs, limiter, tenantOf, readTenantsOf });
      await app.register(eventRoutes, { prefix: '/api', logs, limiter, tenantOf, readTenantsOf });
      await app.register(esBulkRoutes, { prefix: '/api', logs, limiter, tenantOf });
      await app.register(catalogRoutes, { prefix: '/api', store: ctx.store, validatePromQL: (q) => void parse(q) });
    },
    async start(ctx) {
      if (ctx.config.roles.has('ingest') && ingestor) {
        scraper = new ScrapeManager(ingestor, await loadScrapeJobs(ctx.store), (m) => ctx.log.info({ scrape: m }));
        scraper.start();
      }
      if (ctx.config.roles.has('worker') && logs) {
        events = new KubeEventCollector(ctx, logs, Number(process.env.SREWORKS_KUBE_EVENTS_REFRESH_MS ?? 60_000));
        await events.start();
      }
    },
    async stop() {
      scraper?.stop();
      events?.stop();
      await metrics?.close();
      await logs?.close();
    },
  };
}
