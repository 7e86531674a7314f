import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiDouble, type KubeApiDouble } from '@sreworks/kube-api-double';
import { DryRunTarget, GitOpsTarget, KubernetesTarget, TargetRegistry } from '../src/targets/index.js';
import { gitShow, initBareRepo } from './targets.git-server.js';
import { configMap, scope } from './targets.scenarios.js';

let d: KubeApiDouble;
let dir: string;
beforeAll(async () => {
  d = await startKubeApiDouble();
  dir = mkdtempSync(join(tmpdir(), 'oam-registry-'));
});
afterAll(async () => {
  await d.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TargetRegistry', () => {
  it('hands out one target per cluster, names unknown clusters precisely, wraps dry runs', async () => {
    const reg = new TargetRegistry({ workdir: join(dir, 'work'), clusters: [{ name: 'prod', kind: 'kubernetes', kubeconfig: d.kubeconfig() }] });
    const t = reg.get('prod');
    expect(t).toBeInstanceOf(KubernetesTarget);
    expect(reg.get('prod')).toBe(t);
    expect(reg.kubernetes('prod')).toBe(t);
    expect(reg.get('prod', { dryRun: true })).toBeInstanceOf(DryRunTarget);
    expect(() => reg.get('staging')).toThrow(expect.objectContaining({ code: 'OAM_TARGET_CLUSTER_UNKNOWN', status: 404, message: 'cluster "staging" is not registered; known clusters: prod', details: expect.objectContaining({ field: 'cluster' }) }));
    expect(() => reg.set({ name: 'Bad Name', kind: 'kubernetes', kubeconfig: 'x' })).toThrow(expect.objectContaining({ code: 'OAM_TARGET_CLUSTER_CONFIG' }));
    await t.apply([configMap('a', 'shop')], scope('shop', { cluster: 'prod' }));
    expect(d.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' })).toBeDefined();
  });

  it('builds GitOps targets from templates, with a registered cluster as observer', async () => {
    const remote = join(dir, 'apps.git');
    initBareRepo(remote);
    const reg = new TargetRegistry({ workdir: join(dir, 'work2') });
    reg.set({ name: 'hub', kind: 'kubernetes', kubeconfig: d.kubeconfig() });
    reg.set({ name: 'git-prod', kind: 'gitops', repo: remote, branch: 'deploy/{env}', path: 'clusters/{cluster}/{app}', observer: 'hub' });
    const g = reg.get('git-prod');
    expect(g).toBeInstanceOf(GitOpsTarget);
    expect(g.capabilities.observesHealth).toBe(true);
    await g.apply([configMap('cfg', 'shop')], scope('shop', { cluster: 'git-prod', env: 'prod' }));
    expect(gitShow(remote, 'deploy/prod:clusters/git-prod/shop/configmap_shop_cfg.yaml')).toContain('name: cfg');
    expect(() => reg.kubernetes('git-prod')).toThrow(expect.objectContaining({ code: 'OAM_TARGET_CLUSTER_KIND' }));
  });
});
