// The AppManager as one object the server creates: definitions (built-in + stored), the render
// engine, the app service and the deployment executor, all over the given store and targets.
import type { Sealer } from '@sreworks/kernel';
import type { Store } from '@sreworks/store';
import { RenderEngine } from './render/render.js';
import { StoreDefinitionRegistry } from './store/definitions.js';
import { AppService } from './service/apps.js';
import { DeploymentExecutor, type ExecutorOptions } from './execute/executor.js';
import type { TargetResolver } from './execute/types.js';
import { BuildService, type TeamSecretResolver } from './service/builds.js';
import { BuildSecretStore } from './service/build-secrets.js';

export interface OamEngine {
  registry: StoreDefinitionRegistry;
  apps: AppService;
  builds: BuildService;
  /** Team build secrets (sealed); present when the engine has a Sealer. */
  buildSecrets?: BuildSecretStore;
  executor: DeploymentExecutor;
  render(): Promise<RenderEngine>;
  targets: TargetResolver;
  /** Background work of a worker: run queued deployments, follow builds nobody follows (after a restart). */
  start(): void;
  close(): Promise<void>;
}

export interface OamEngineOptions {
  store: Store;
  targets: TargetResolver;
  log?: ExecutorOptions['log'];
  healthTimeoutMs?: number;
  pollMs?: number;
  leaseMs?: number;
  /** Seals team build secrets at rest; without it there is no build secret store. */
  sealer?: Sealer;
  /** Build secrets by team and name (plaintext); overrides the sealed store (tests). */
  secrets?: TeamSecretResolver;
  /** Build options: poll interval, lease, grace added to a build's timeout. */
  builds?: { pollMs?: number; leaseMs?: number; deadlineGraceMs?: number };
}

export async function createOamEngine(opts: OamEngineOptions): Promise<OamEngine> {
  const registry = await StoreDefinitionRegistry.open(opts.store);
  let engine: Promise<RenderEngine> | undefined;
  const render = () => (engine ??= RenderEngine.create());
  const kick = { fn: () => {} };
  const apps = new AppService(opts.store, registry, opts.targets, render, () => kick.fn());
  const executor = new DeploymentExecutor({ store: opts.store, apps, targets: opts.targets, engine: render, log: opts.log, healthTimeoutMs: opts.healthTimeoutMs, pollMs: opts.pollMs, leaseMs: opts.leaseMs });
  const buildSecrets = opts.sealer ? new BuildSecretStore(opts.store, opts.sealer) : undefined;
  const secrets = opts.secrets ?? (buildSecrets ? (team: string, name: string) => buildSecrets.resolve(team, name) : undefined);
  const builds = new BuildService({ store: opts.store, apps, targets: opts.targets, secrets, log: opts.log, ...opts.builds });
  kick.fn = () => executor.kick();
  return {
    registry,
    apps,
    builds,
    buildSecrets,
    executor,
    render,
    targets: opts.targets,
    start() {
      executor.start();
      builds.startResuming();
    },
    async close() {
      await executor.stop();
      await builds.stop();
      if (engine) (await engine).dispose();
    },
  };
}
