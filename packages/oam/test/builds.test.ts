import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiDouble, type KubeApiDouble } from '@sreworks/kube-api-double';
import { BuildRunner, imageWithDigest, kanikoContext, parseBuildSpec, parseDigest, renderKanikoJob, KubernetesTarget } from '../src/index.js';

let d: KubeApiDouble;
let runner: BuildRunner;
const secrets: Record<string, Record<string, string>> = {
  'registry-push': { registry: 'registry.example.com', username: 'ci', password: 'pw' },
  'git-token': { username: 'x-access-token', password: 'ghp_secret' },
};
const spec = {
  name: 'api',
  git: { url: 'https://git.example.com/team/api.git', ref: 'main', credentialsSecret: 'git-token' },
  dockerfile: 'build/Dockerfile',
  context: 'services/api',
  image: 'registry.example.com/team/api:1.4.0',
  buildArgs: { VERSION: '1.4.0' },
  pushSecret: 'registry-push',
};

beforeAll(async () => {
  d = await startKubeApiDouble({ controllers: { jobAfterMs: 80 } });
  runner = new BuildRunner({ target: new KubernetesTarget({ kubeconfig: d.kubeconfig() }), namespace: 'builds', resolveSecret: async (n) => secrets[n] });
});
afterAll(async () => {
  await d.close();
});

describe('build spec and kaniko render', () => {
  it('names the field of a bad spec', () => {
    expect(() => parseBuildSpec({ ...spec, image: 'Not An Image' })).toThrow(expect.objectContaining({ code: 'OAM_BUILD_SPEC', details: expect.objectContaining({ field: 'build.image' }) }));
    expect(() => parseBuildSpec({ ...spec, context: '../etc' })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'build.context' }) }));
    expect(() => parseBuildSpec({ ...spec, extra: 1 })).toThrow(expect.objectContaining({ code: 'OAM_BUILD_SPEC' }));
    expect(() => parseBuildSpec({ ...spec, git: { url: 'ftp://x' } })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'build.git.url' }) }));
  });

  it('renders a kaniko Job with git context, sub-path, build args, digest file and docker config', () => {
    const s = parseBuildSpec(spec);
    const r = renderKanikoJob(s, { buildId: 'b1', namespace: 'builds', registry: secrets['registry-push'], git: { username: 'u', password: 'p' } });
    const c = (r.job as any).spec.template.spec.containers[0];
    expect(c.args).toEqual([
      '--context=git://git.example.com/team/api.git#refs/heads/main',
      '--context-sub-path=services/api',
      '--dockerfile=build/Dockerfile',
      '--destination=registry.example.com/team/api:1.4.0',
      '--build-arg=VERSION=1.4.0',
      '--digest-file=/dev/termination-log',
      '--verbosity=info',
    ]);
    expect(c.volumeMounts).toEqual([{ name: 'docker-config', mountPath: '/kaniko/.docker', readOnly: true }]);
    expect(r.secrets.map((x) => (x as any).type)).toEqual(['kubernetes.io/dockerconfigjson', 'Opaque']);
    const cfg = JSON.parse(Buffer.from((r.secrets[0] as any).data['.dockerconfigjson'], 'base64').toString());
    expect(cfg.auths['registry.example.com']).toMatchObject({ username: 'ci', auth: Buffer.from('ci:pw').toString('base64') });
    expect((r.job as any).spec.backoffLimit).toBe(0);
    expect(kanikoContext(parseBuildSpec({ ...spec, git: { url: 'https://h/r.git', ref: 'tags/v1', commit: 'a'.repeat(40) } }))).toBe(`git://h/r.git#refs/tags/v1#${'a'.repeat(40)}`);
  });

  it('parses digests and pins images', () => {
    const dg = `sha256:${'ab'.repeat(32)}`;
    expect(parseDigest(`\n${dg}\n`)).toBe(dg);
    expect(parseDigest('no digest')).toBeUndefined();
    expect(imageWithDigest('localhost:5000/a/b:1', dg)).toBe(`localhost:5000/a/b@${dg}`);
    expect(imageWithDigest('nginx', dg)).toBe(`nginx@${dg}`);
  });
});

describe('BuildRunner against the API double', () => {
  it('submits, follows logs and status, and records the digest from the termination message', async () => {
    const lines: string[] = [];
    const res = await runner.run(spec, { pollMs: 20, timeoutMs: 5000, onLog: (l) => lines.push(...l) });
    expect(res.phase).toBe('succeeded');
    expect(res.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(res.imageWithDigest).toBe(`registry.example.com/team/api@${res.digest}`);
    const pod = d.list('v1', 'Pod', 'builds').find((p) => p.metadata.labels['job-name'] === res.jobName)!;
    expect(pod.status.containerStatuses[0].state.terminated.message).toBe(res.digest);
    expect(res.logs).toContain(`Pushed registry.example.com/team/api@${res.digest}`);
    expect(lines.join('\n')).toContain('Pushing image to registry.example.com/team/api:1.4.0');
    // Secrets exist and are owned by the Job, so they leave with it.
    const job = d.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'builds', name: res.jobName })!;
    const docker = d.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'builds', name: `${res.jobName}-docker` })!;
    expect(docker.metadata.ownerReferences[0].uid).toBe(job.metadata.uid);
    const env = job.spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(env).toEqual(['GIT_USERNAME', 'GIT_PASSWORD']);
  });

  it('reports a failed build with the reason and the last log lines', async () => {
    // The Job name is a function of the build id, so the failure can be armed before submitting.
    const { jobName } = renderKanikoJob(parseBuildSpec({ ...spec, name: 'broken' }), { buildId: 'fail-1', namespace: 'builds' });
    d.faults.failJob('builds', jobName, 'error building image: failed to get filesystem from image: 401 Unauthorized');
    const h = await runner.submit({ ...spec, name: 'broken' }, { buildId: 'fail-1' });
    expect(h.jobName).toBe(jobName);
    const res = await runner.follow(h, { pollMs: 20, timeoutMs: 5000 });
    expect(res.phase).toBe('failed');
    expect(res.digest).toBeUndefined();
    expect(res.message).toContain('BackoffLimitExceeded');
    expect(res.message).toContain('401 Unauthorized');
  });

  it('fails when kaniko completes without a digest', async () => {
    d.onJob((job) => (job.metadata.name.startsWith('build-nodigest') ? { succeed: true, logs: ['done'], exitCode: 0 } : undefined));
    const res = await runner.run({ ...spec, name: 'nodigest' }, { pollMs: 20, timeoutMs: 5000 });
    expect(res).toMatchObject({ phase: 'failed', message: expect.stringContaining('no image digest') });
  });

  it('times out with a message naming the job and its state', async () => {
    const r2 = new BuildRunner({ target: new KubernetesTarget({ kubeconfig: d.kubeconfig() }), namespace: 'builds', resolveSecret: async (n) => secrets[n] });
    d.controllers.disable();
    try {
      await expect(r2.run({ ...spec, name: 'slow' }, { pollMs: 20, timeoutMs: 300 })).rejects.toMatchObject({ code: 'OAM_BUILD_TIMEOUT', message: expect.stringMatching(/Job builds\/build-slow-[0-9a-f]+ is pending/) });
    } finally {
      d.controllers.enable({ jobAfterMs: 80 });
    }
  });

  it('refuses an unknown sealed secret naming the field', async () => {
    await expect(runner.submit({ ...spec, pushSecret: 'nope' })).rejects.toMatchObject({ code: 'OAM_BUILD_SECRET', details: { field: 'build.pushSecret' } });
  });
});
