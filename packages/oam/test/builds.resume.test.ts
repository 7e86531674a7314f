import { describe, expect, it } from 'vitest';
import { testDialects } from '@sreworks/store/testing';
import { BuildRunner, KubernetesTarget, LABEL_BUILD_ID, type DeployEnv } from '../src/index.js';
import { engineOnDouble } from './engine-harness.js';

// Builds are persisted state machines: a server that restarts mid-build resumes following the
// same Job (never a second one), and every wait ends at the build's deadline with a message.
const ENV: DeployEnv = { id: 'env-b', name: 'build', team: 'team-1', namespace: 'builds', stage: 'dev', clusterId: 'c1', clusterName: 'double' };
const APP = `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: NAME }
spec:
  components:
    - { name: api, type: webservice, properties: { image: nginx:1.27 } }
`;
const build = (name: string) => ({ name, git: { url: 'https://git.example.com/team/api.git' }, image: `registry.example.com/team/${name}:1.0.0` });

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const dialect of testDialects()) {
  describe(`build resume on ${dialect.name}`, () => {
    const hs = engineOnDouble(dialect, ENV, { jobAfterMs: 1200, pods: false });
    const open = () => hs.open({ pollMs: 50, builds: { pollMs: 50, leaseMs: 400 } });
    const jobsOf = (id: string) => hs.kube.list('batch/v1', 'Job', 'builds').filter((j) => j.metadata.labels?.[LABEL_BUILD_ID] === id);
    const podsOf = (job: string) => hs.kube.list('v1', 'Pod', 'builds').filter((p) => p.metadata.labels?.['job-name'] === job);

    it('a restart mid-build re-attaches to the same Job and records the digest', async () => {
      const first = await open();
      const app = await first.apps.createApp('team-1', APP.replace('NAME', `resume-${dialect.name}`));
      const b = await first.builds.start(app.id, { component: 'api', env: ENV.id, build: build('api') }, 'alice');
      expect(b.deadlineAt! > b.createdAt).toBe(true);
      const running = await until('the build to run', async () => {
        const r = await first.builds.get(b.id);
        return r.status === 'running' && jobsOf(b.id).length === 1 && podsOf(jobsOf(b.id)[0]!.metadata.name).length === 1 ? r : undefined;
      });
      const uid = jobsOf(b.id)[0]!.metadata.uid;
      expect(running.job).toBe(`builds/${jobsOf(b.id)[0]!.metadata.name}`);
      // The server stops while kaniko runs: the build is not failed, nobody follows it.
      await first.close();
      const mid = await first.builds.get(b.id);
      expect(mid.status).toBe('running');
      expect(mid.finishedAt).toBeNull();

      const second = await open();
      expect(await second.builds.resume()).toEqual([b.id]);
      const done = await until('the resumed build to finish', async () => {
        const r = await second.builds.get(b.id);
        return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
      });
      expect(done.status, done.message ?? '').toBe('succeeded');
      expect(done.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(done.image).toBe(`registry.example.com/team/api@${done.digest}`);
      expect(done.logs).toContain(`Pushed registry.example.com/team/api@${done.digest}`);
      // never submitted twice: one Job, the same one, with one pod
      expect(jobsOf(b.id).map((j) => j.metadata.uid)).toEqual([uid]);
      expect(podsOf(jobsOf(b.id)[0]!.metadata.name)).toHaveLength(1);
      await second.close();
    });

    it('a process that died after creating the Job but before recording it: the next one re-attaches', async () => {
      const engine = await open();
      const app = await engine.apps.createApp('team-1', APP.replace('NAME', `crash-${dialect.name}`));
      const b = await engine.builds.start(app.id, { component: 'api', env: ENV.id, build: build('crash') });
      await engine.close();
      // what a kill -9 right after POSTing the Job leaves: the row pending with no job, a live
      // lease of a dead process; the Job on the cluster
      const runner = new BuildRunner({ target: new KubernetesTarget({ kubeconfig: hs.kube.kubeconfig() }), namespace: 'builds' });
      const first = await runner.submit(build('crash'), { buildId: b.id });
      await hs.store.db.updateTable('oam_build').set({ status: 'pending', job: null, message: 'submitting', lease_owner: 'dead-host:1', lease_until: new Date(Date.now() + 300).toISOString() }).where('id', '=', b.id).execute();
      const next = await open();
      expect(await next.builds.resume()).toEqual([]); // the dead process's lease still holds
      await new Promise((r) => setTimeout(r, 350));
      expect(await next.builds.resume()).toEqual([b.id]);
      const done = await until('the build to finish', async () => {
        const r = await next.builds.get(b.id);
        return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
      });
      expect(done.status, done.message ?? '').toBe('succeeded');
      expect(jobsOf(b.id).map((j) => j.metadata.uid)).toEqual([first.uid]);
      await next.close();
    });

    it('a build that outlives its deadline fails with what it waited for, and its Job is deleted', async () => {
      hs.kube.controllers.disable(); // the pod never starts
      try {
        const engine = await open();
        const app = await engine.apps.createApp('team-1', APP.replace('NAME', `slow-${dialect.name}`));
        const b = await engine.builds.start(app.id, { component: 'api', env: ENV.id, build: build('slow') });
        await until('the job', async () => ((await engine.builds.get(b.id)).status === 'running' ? true : undefined));
        await engine.close();
        // the stored deadline is what every follower honours
        await hs.store.db.updateTable('oam_build').set({ deadline_at: new Date(Date.now() + 400).toISOString() }).where('id', '=', b.id).execute();
        const next = await open();
        next.builds.startResuming();
        const done = await until('the timeout', async () => {
          const r = await next.builds.get(b.id);
          return r.status === 'failed' || r.status === 'succeeded' ? r : undefined;
        });
        expect(done.status).toBe('failed');
        expect(done.message).toMatch(/timed out after \d+ s waiting for build .*: Job builds\/build-slow-[0-9a-f]+ is pending \(waiting for the build pod to start\); job builds\/build-slow-[0-9a-f]+ deleted/);
        expect(done.finishedAt).not.toBeNull();
        await until('the Job to be deleted', async () => (jobsOf(b.id).length === 0 ? true : undefined));

        // down past the deadline: the resumer does not re-submit; it fails the build and removes the Job
        const c = await next.builds.start(app.id, { component: 'api', env: ENV.id, build: build('late') });
        await until('the job', async () => ((await next.builds.get(c.id)).status === 'running' ? true : undefined));
        await next.close();
        await hs.store.db.updateTable('oam_build').set({ deadline_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', c.id).execute();
        const third = await open();
        await third.builds.resume();
        await third.builds.idle();
        const late = await third.builds.get(c.id);
        expect(late.status).toBe('failed');
        expect(late.message).toMatch(/passed its deadline .* while no process followed it/);
        await until('the Job to be deleted', async () => (jobsOf(c.id).length === 0 ? true : undefined));
        await third.close();
      } finally {
        hs.kube.controllers.enable({ jobAfterMs: 1200, pods: false });
      }
    });
  });
}
