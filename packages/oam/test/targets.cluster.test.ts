// Opt-in: the same target scenarios against a real cluster, when KUBECONFIG is set.
// See packages/oam/README-targets.md for kind and k3s.

import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, it } from 'vitest';
import { KubernetesTarget } from '../src/targets/index.js';
import { conflictNamesManager, gcKeepsPvcAndShared, liveDiffShowsChanges, rolloutNeverFinishes, threeObjectRollout, type ScenarioEnv } from './targets.scenarios.js';

const enabled = !!process.env.KUBECONFIG;
if (!enabled) console.info('[targets.cluster] skipped: set KUBECONFIG to run the target scenarios against a real cluster (packages/oam/README-targets.md)');

const created: string[] = [];
const run = Date.now().toString(36);
let n = 0;

function env(): ScenarioEnv {
  const kc = new KubeConfig();
  kc.loadFromDefault(); // honours KUBECONFIG, including colon-separated lists
  return {
    kubeconfig: kc,
    namespace: () => {
      const ns = `sreworks-it-${run}-${++n}`;
      created.push(ns);
      return ns;
    },
    // An image that cannot be pulled keeps the rollout short of ready forever.
    stall: (dep) => {
      (dep as any).spec.template.spec.containers[0].image = 'registry.invalid/sreworks/never:0';
      return dep;
    },
    readyTimeoutMs: Number(process.env.SREWORKS_TEST_READY_TIMEOUT_MS ?? 180_000),
    storageClassName: process.env.SREWORKS_TEST_STORAGE_CLASS,
  };
}

describe.skipIf(!enabled)('KubernetesTarget against a real cluster (KUBECONFIG)', () => {
  const e = enabled ? env() : (undefined as unknown as ScenarioEnv);
  const T = 300_000;
  afterAll(async () => {
    const t = new KubernetesTarget({ kubeconfig: e.kubeconfig });
    for (const ns of created) await t.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
  });
  it('rolls out three objects and reports them healthy', () => threeObjectRollout(e), T);
  it('times out a rollout that never finishes, saying what it waits for', () => rolloutNeverFinishes(e), T);
  it('surfaces a 409 apply conflict naming the other field manager', () => conflictNamesManager(e), T);
  it('collects garbage but keeps PVCs and shared objects unless asked', () => gcKeepsPvcAndShared(e), T);
  it('diffs desired objects against the live cluster without side effects', () => liveDiffShowsChanges(e), T);
});
