import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiDouble, type KubeApiDouble } from '@sreworks/kube-api-double';
import { DryRunTarget, GitOpsTarget, KubernetesTarget } from '../src/targets/index.js';
import { gitLog, gitShow, initBareRepo, startGitHttpServer, type GitHttpServer } from './targets.git-server.js';
import { configMap, deployment, pvc, scope, service } from './targets.scenarios.js';

let dir: string;
let n = 0;
const repo = () => {
  const p = join(dir, `remote-${++n}.git`);
  initBareRepo(p);
  return p;
};
const work = () => join(dir, `work-${++n}`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oam-gitops-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GitOpsTarget', () => {
  it('commits rendered objects as YAML to a branch and path per environment', async () => {
    const remote = repo();
    const t = new GitOpsTarget({ repo: remote, workdir: work(), branch: (s) => `env/${s.env}` });
    const objs = [deployment('web', 'shop'), service('web', 'shop')];
    const st = await t.apply(objs, scope('shop', { env: 'prod' }));
    expect(st.every((s) => s.phase === 'progressing' && !s.healthy)).toBe(true);
    expect(st[0].message).toMatch(/^committed [0-9a-f]{12} to env\/prod:prod\/test\/shop\/shop, sync pending$/);
    const file = gitShow(remote, 'env/prod:prod/test/shop/shop/deployment.apps_shop_web.yaml');
    expect(file).toContain('kind: Deployment');
    expect(file).toContain('app.oam.dev/name: shop');
    const kust = gitShow(remote, 'env/prod:prod/test/shop/shop/kustomization.yaml');
    expect(kust).toContain('- deployment.apps_shop_web.yaml');
    expect(kust).toContain('- service_shop_web.yaml');
    expect(gitLog(remote, 'env/prod')).toEqual(['sreworks: deploy shop to prod (revision r1, cluster test)']);
    // Same objects again: no empty commit.
    const again = await t.apply(objs, scope('shop', { env: 'prod' }));
    expect(again[0].message).toMatch(/^unchanged at /);
    expect(gitLog(remote, 'env/prod')).toHaveLength(1);
  });

  it('reports health as committed/sync pending, inventory from the repo, diffs against the repo', async () => {
    const remote = repo();
    const t = new GitOpsTarget({ repo: remote, workdir: work() });
    const sc = scope('shop');
    await t.apply([configMap('a', 'shop'), configMap('b', 'shop')], sc);
    const h = await t.health([configMap('a', 'shop'), configMap('zz', 'shop')], sc);
    expect(h.map((s) => s.phase)).toEqual(['progressing', 'missing']);
    expect(h[0].message).toMatch(/committed at [0-9a-f]+, sync pending/);
    expect((await t.inventory(sc)).map((r) => r.name)).toEqual(['a', 'b']);
    const diff = await t.liveDiff([configMap('a', 'shop', { a: '2' }), configMap('b', 'shop'), configMap('c', 'shop')], sc);
    expect(diff.map((d) => d.change)).toEqual(['update', 'none', 'create']);
    expect(diff[0].diff).toContain('+  a: "2"');
    await expect(t.waitHealthy([configMap('a', 'shop')], sc)).rejects.toMatchObject({ code: 'OAM_TARGET_HEALTH_UNOBSERVABLE' });
    // A second clone sees the same state (the repo, not the working copy, is the truth).
    const other = new GitOpsTarget({ repo: remote, workdir: work() });
    expect((await other.inventory(sc)).map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('collects garbage by removing files, keeping PVCs and shared objects', async () => {
    const remote = repo();
    const t = new GitOpsTarget({ repo: remote, workdir: work() });
    const sc = scope('shop');
    const shared = configMap('shared', 'shop');
    shared.metadata.annotations = { 'sreworks.io/shared': 'true' };
    await t.apply([deployment('db', 'shop'), pvc('data', 'shop'), configMap('old', 'shop'), shared], sc);
    const keep = [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'db' }];
    const deleted = await t.gc(sc, keep);
    expect(deleted.map((r) => r.name)).toEqual(['old']);
    expect((await t.inventory(sc)).map((r) => r.name).sort()).toEqual(['data', 'db', 'shared']);
    expect(gitLog(remote, 'main')[0]).toBe('sreworks: collect garbage of shop in dev (revision r1)');
    expect(gitShow(remote, 'main:dev/test/shop/shop/kustomization.yaml')).not.toContain('old');
  });

  it('dry-run apply commits nothing', async () => {
    const remote = repo();
    const t = new GitOpsTarget({ repo: remote, workdir: work() });
    const st = await t.apply([configMap('a', 'shop')], scope('shop'), { dryRun: true });
    expect(st[0].message).toMatch(/^dry-run: would create main:/);
    expect(() => gitLog(remote, 'main')).toThrow();
  });

  it('serialises concurrent applies of several apps into one branch', async () => {
    const remote = repo();
    const t = new GitOpsTarget({ repo: remote, workdir: work() });
    await Promise.all(['a', 'b', 'c'].map((app) => t.apply([configMap('cfg', app)], scope(app, { app }))));
    expect(gitLog(remote, 'main')).toHaveLength(3);
  });

  it('pushes over smart HTTP with credentials, and says so when they are wrong', async () => {
    const root = join(dir, 'http-root');
    initBareRepo(join(root, 'apps.git'));
    let server: GitHttpServer | undefined;
    try {
      server = await startGitHttpServer(root, { username: 'bot', password: 's3cret' });
      const t = new GitOpsTarget({ repo: `${server.url}/apps.git`, workdir: work(), credentials: { username: 'bot', password: 's3cret' } });
      await t.apply([configMap('a', 'shop')], scope('shop'));
      expect(gitLog(join(root, 'apps.git'), 'main')).toHaveLength(1);
      const bad = new GitOpsTarget({ repo: `${server.url}/apps.git`, workdir: work(), credentials: { username: 'bot', password: 'wrong' } });
      const err = await bad.apply([configMap('b', 'shop')], scope('shop')).catch((e: Error) => e);
      expect(err).toMatchObject({ code: 'OAM_TARGET_UNAVAILABLE' });
      expect((err as Error).message).not.toContain('wrong');
    } finally {
      await server?.close();
    }
  });

  it('with a cluster observer, waits on the synced cluster', async () => {
    const d: KubeApiDouble = await startKubeApiDouble({ controllers: { readyAfterMs: 30 } });
    try {
      const observer = new KubernetesTarget({ kubeconfig: d.kubeconfig() });
      const t = new GitOpsTarget({ repo: repo(), workdir: work(), observer });
      expect(t.capabilities.observesHealth).toBe(true);
      const objs = [deployment('web', 'shop')];
      await t.apply(objs, scope('shop'));
      // Stand-in for Argo CD/Flux: sync the committed objects to the cluster.
      await observer.apply(objs, scope('shop'));
      const st = await t.waitHealthy(objs, scope('shop'), { timeoutMs: 3000, pollMs: 100 });
      expect(st[0].healthy).toBe(true);
    } finally {
      await d.close();
    }
  });
});

describe('DryRunTarget', () => {
  it('without a cluster: everything would be created, nothing observed', async () => {
    const t = new DryRunTarget();
    const st = await t.apply([configMap('a', 'shop')], scope('shop'));
    expect(st[0]).toMatchObject({ phase: 'unknown', message: 'dry-run: would create ConfigMap shop/a' });
    expect(await t.waitHealthy([configMap('a', 'shop')], scope('shop'))).toMatchObject([{ phase: 'unknown' }]);
    expect(await t.gc(scope('shop'), [])).toEqual([]);
  });

  it('against a live cluster: reports changes and would-be GC without side effects', async () => {
    const d = await startKubeApiDouble();
    try {
      const live = new KubernetesTarget({ kubeconfig: d.kubeconfig() });
      await live.apply([configMap('a', 'shop'), configMap('old', 'shop')], scope('shop'));
      const rv = d.store.resourceVersion;
      const t = new DryRunTarget(live);
      const st = await t.apply([configMap('a', 'shop', { a: '9' }), configMap('new', 'shop'), configMap('x', 'fresh-ns')], scope('shop'));
      expect(st.map((s) => s.message)).toEqual(['dry-run: would update ConfigMap shop/a', 'dry-run: would create ConfigMap shop/new', 'dry-run: would create ConfigMap fresh-ns/x']);
      expect(await t.gc(scope('shop'), [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' }])).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'old' }]);
      expect(d.store.resourceVersion).toBe(rv);
      expect(d.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'old' })).toBeDefined();
    } finally {
      await d.close();
    }
  });
});
