// The AppManager as one object the server creates: definitions (built-in + stored), the render
// engine, the app service and the deployment executor, all over the given store and targets.
import type { Store } from '@sreworks/store';
import { RenderEngine } from './render/render.js';
import { StoreDefinitionRegistry } from './store/definitions.js';
import { AppService } from './service/apps.js';
import { DeploymentExecutor, type ExecutorOptions } from './execute/executor.js';
import type { TargetResolver } from './execute/types.js';
import { BuildService } from './service/builds.js';
import type { SecretResolver } from './builds/runner.js';

export interface OamEngine {
  registry: StoreDefinitionRegistry;
  apps: AppService;
  builds: BuildService;
  executor: DeploymentExecutor;
  render(): Promise<RenderEngine>;
  targets: TargetResolver;
  close(): Promise<void>;
}

export async function createOamEngine(opts: { store: Store; targets: TargetResolver; log?: ExecutorOptions['log']; healthTimeoutMs?: number; pollMs?: number; leaseMs?: number; secrets?: SecretResolver }): Promise<OamEngine> {
  const registry = await StoreDefinitionRegistry.open(opts.store);
  let engine: Promise<RenderEngine> | undefined;
  const render = () => (engine ??= RenderEngine.create());
  const kick = { fn: () => {} };
  const apps = new AppService(opts.store, registry, opts.targets, render, () => kick.fn());
  const executor = new DeploymentExecutor({ store: opts.store, apps, targets: opts.targets, engine: render, log: opts.log, healthTimeoutMs: opts.healthTimeoutMs, pollMs: opts.pollMs, leaseMs: opts.leaseMs });
  const builds = new BuildService(opts.store, apps, opts.targets, opts.secrets, opts.log);
  await builds.markLost();
  kick.fn = () => executor.kick();
  return {
    registry,
    apps,
    builds,
    executor,
    render,
    targets: opts.targets,
    async close() {
      await executor.stop();
      await builds.idle();
      if (engine) (await engine).dispose();
    },
  };
}
