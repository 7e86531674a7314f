// The platform's feature modules, in registration order. Add a package's module here.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aiopsMigrations, aiopsPermissions, aiopsRoutes } from '@sreworks/aiops';
import { lowcodeMigrations, lowcodePermissions, lowcodeRoutes } from '@sreworks/lowcode';
import { DryRunTarget, GitOpsTarget, KubernetesTarget, createOamEngine, oamMigrations, oamPermissions, oamRoutes, type DeployEnv, type OamEngine, type Target, type TargetResolver } from '@sreworks/oam';
import { createEngine, parse as parsePromQL } from '@sreworks/promql';
import {
  catalogRoutes,
  createLogStore,
  esBulkRoutes,
  eventRoutes,
  IngestLimiter,
  lokiRoutes,
  MetricsIngestor,
  metricsRoutes,
  otlpLogsRoutes,
  otlpMetricsRoutes,
  SqliteMetricsStore,
  telemetryMigrations,
  telemetryPermissions,
  type LogStore,
} from '@sreworks/telemetry';
import type { ModuleContext, PlatformModule } from './core/module.js';
import { identityMigrations } from './identity/migrations.js';
import { identityPermissions } from './identity/permissions.js';
import { identityRoutes } from './identity/routes.js';
import { scopeMigrations } from './scope/migrations.js';
import { scopePermissions } from './scope/permissions.js';
import { scopeRoutes } from './scope/routes.js';
import type { ScopeService } from './scope/service.js';

/** The built-in ops apps (pages and menus) of the repository. */
export const OPS_APPS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../ops-apps');

/** Environments and clusters of the scope service as deployment targets of the AppManager. */
export function scopeTargets(scope: ScopeService, workRoot: string): TargetResolver {
  const clusterTarget = async (clusterId: string): Promise<Target> => {
    const c = await scope.getCluster(clusterId);
    const creds = await scope.clusterCredentials(clusterId);
    if (c.kind === 'gitops') {
      const git = c.git!;
      // credentials are "user:token" (or a bare token, sent with the user "git")
      const cred = creds.gitCredentials;
      const credentials = cred ? (cred.includes(':') ? { username: cred.slice(0, cred.indexOf(':')), password: cred.slice(cred.indexOf(':') + 1) } : { username: 'git', password: cred }) : undefined;
      const base = git.path.replace(/^\/+|\/+$/g, '');
      return new GitOpsTarget({
        repo: git.url,
        workdir: join(workRoot, c.id),
        branch: () => git.branch,
        path: (s) => [base, s.env, s.namespace, s.app].filter(Boolean).join('/'),
        ...(credentials ? { credentials } : {}),
      });
    }
    return new KubernetesTarget({ kubeconfig: creds.kubeconfig!, cluster: c.name });
  };
  return {
    async environment(envId: string): Promise<DeployEnv> {
      const e = await scope.getEnvironment(envId);
      return { id: e.id, name: e.name, team: e.team, namespace: e.namespace, stage: e.stage, clusterId: e.cluster, clusterName: e.clusterName ?? e.cluster };
    },
    async target(env, opts) {
      let clusterId = env.clusterId;
      if (opts.clusterName && opts.clusterName !== env.clusterName) {
        const list = await scope.listClusters({ team: env.team, limit: 500 });
        const hit = list.items.find((c: { name: string }) => c.name === opts.clusterName) as { id: string } | undefined;
        if (!hit) throw new Error(`team has no cluster named ${opts.clusterName}`);
        clusterId = hit.id;
      }
      const live = await clusterTarget(clusterId);
      return opts.dryRun ? new DryRunTarget(live) : live;
    },
  };
}

export function builtinModules(): PlatformModule[] {
  const identity: PlatformModule = {
    name: 'identity',
    permissions: identityPermissions,
    migrations: identityMigrations,
    async routes(app, ctx) {
      await app.register(identityRoutes, { prefix: '/api', identity: ctx.identity, store: ctx.store, secureCookies: ctx.config.secureCookies, permissions: ctx.permissions });
    },
  };
  const scope: PlatformModule = {
    name: 'scope',
    permissions: scopePermissions,
    migrations: scopeMigrations,
    async routes(app, ctx) {
      await app.register(scopeRoutes, { prefix: '/api', scope: ctx.scope });
    },
  };
  const aiops: PlatformModule = {
    name: 'aiops',
    permissions: aiopsPermissions,
    migrations: aiopsMigrations,
    async routes(app, ctx) {
      await app.register(aiopsRoutes, { prefix: '/api', store: ctx.store });
    },
  };

  let oam: OamEngine | undefined;
  const oamModule: PlatformModule = {
    name: 'oam',
    permissions: oamPermissions,
    migrations: oamMigrations,
    async routes(app, ctx: ModuleContext) {
      oam = await createOamEngine({ store: ctx.store, targets: scopeTargets(ctx.scope, join(ctx.config.dataDir, 'gitops')), log: ctx.log });
      await app.register(oamRoutes, { prefix: '/api', oam });
    },
    async start(ctx) {
      if (ctx.config.roles.has('worker')) oam?.executor.start();
    },
    async stop() {
      await oam?.close();
    },
  };

  let metrics: SqliteMetricsStore | undefined;
  let logs: LogStore | undefined;
  const telemetry: PlatformModule = {
    name: 'telemetry',
    permissions: telemetryPermissions,
    migrations: telemetryMigrations,
    async routes(app, ctx) {
      metrics = await SqliteMetricsStore.open({ file: join(ctx.config.dataDir, 'metrics.db') });
      logs = createLogStore({ kind: 'sqlite', dataDir: ctx.config.dataDir });
      const ingestor = new MetricsIngestor(metrics);
      const limiter = new IngestLimiter();
      await app.register(metricsRoutes, { prefix: '/prometheus', engine: createEngine(), store: metrics, ingestor });
      await app.register(otlpMetricsRoutes, { prefix: '/otlp', store: metrics, ingestor });
      await app.register(lokiRoutes, { prefix: '/loki', logs, limiter });
      await app.register(otlpLogsRoutes, { prefix: '/otlp', logs, limiter });
      await app.register(eventRoutes, { prefix: '/api', logs, limiter });
      await app.register(esBulkRoutes, { prefix: '/api', logs, limiter });
      await app.register(catalogRoutes, { prefix: '/api', store: ctx.store, validatePromQL: (expr) => void parsePromQL(expr) });
    },
    async stop() {
      await logs?.close();
      await metrics?.close();
    },
  };

  const lowcode: PlatformModule = {
    name: 'lowcode',
    permissions: lowcodePermissions,
    migrations: lowcodeMigrations,
    async routes(app, ctx) {
      await app.register(lowcodeRoutes, { prefix: '/api', store: ctx.store, opsAppsDir: OPS_APPS_DIR });
    },
  };
  return [identity, scope, aiops, oamModule, telemetry, lowcode];
}
