// One database (per dialect) and one Kubernetes API double per suite, and engines opened on them
// that the suite closes at the end: the setup the engine's deployment and build tests share.
import { afterAll, beforeAll } from 'vitest';
import { migrate, type Store } from '@sreworks/store';
import type { TestDialect } from '@sreworks/store/testing';
import { startKubeApiDouble, type KubeApiDouble, type KubeApiDoubleOptions } from '@sreworks/kube-api-double';
import { createOamEngine, KubernetesTarget, oamMigrations, type DeployEnv, type OamEngine, type TargetResolver } from '../src/index.js';

type EngineOptions = Omit<Parameters<typeof createOamEngine>[0], 'store' | 'targets'>;

export interface EngineHarness {
  readonly store: Store;
  readonly kube: KubeApiDouble;
  /** a new engine on the suite's store and double (a "process"), closed with the suite */
  open(opts?: EngineOptions): Promise<OamEngine>;
}

export function engineOnDouble(dialect: TestDialect, env: DeployEnv, controllers: KubeApiDoubleOptions['controllers']): EngineHarness {
  let h: Awaited<ReturnType<TestDialect['open']>>;
  let kube: KubeApiDouble;
  let resolver: TargetResolver;
  const engines: OamEngine[] = [];
  beforeAll(async () => {
    h = await dialect.open();
    await migrate(h.store, oamMigrations);
    kube = await startKubeApiDouble({ controllers });
    resolver = {
      environment: async (id) => {
        if (id !== env.id) throw new Error(`no environment ${id}`);
        return env;
      },
      target: async () => new KubernetesTarget({ kubeconfig: kube.kubeconfig(), cluster: env.clusterName }),
    };
  });
  afterAll(async () => {
    for (const e of engines) await e.close();
    await kube?.close();
    await h?.dispose();
  });
  return {
    get store() {
      return h.store;
    },
    get kube() {
      return kube;
    },
    async open(opts = {}) {
      const e = await createOamEngine({ store: h.store, targets: resolver, ...opts });
      engines.push(e);
      return e;
    },
  };
}
