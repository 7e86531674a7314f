// Render a build spec into a kaniko Job plus the Secrets it mounts.

import { createHash } from 'node:crypto';
import { InputError } from '@sreworks/kernel';
import type { K8sObject } from '../targets/types.js';
import type { BuildSpec } from './spec.js';

export interface RegistryCredentials {
  /** A full docker config JSON ({"auths": {...}}), or registry + username + password. */
  dockerconfigjson?: string;
  registry?: string;
  username?: string;
  password?: string;
}

export interface GitCredentials {
  username: string;
  password: string;
}

export interface KanikoRender {
  jobName: string;
  namespace: string;
  job: K8sObject;
  secrets: K8sObject[];
}

export const LABEL_BUILD = 'sreworks.io/build';
export const LABEL_BUILD_ID = 'sreworks.io/build-id';
export const KANIKO_CONTAINER = 'kaniko';

/** The build id as a label value (63 characters of [A-Za-z0-9_.-]). */
export function buildIdLabel(buildId: string): string {
  return buildId.slice(0, 63).replace(/[^A-Za-z0-9_.-]/g, '-');
}

function registryOf(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'https://index.docker.io/v1/';
}

export function dockerConfigJson(image: string, c: RegistryCredentials): string {
  if (c.dockerconfigjson) {
    try {
      const parsed = JSON.parse(c.dockerconfigjson) as { auths?: unknown };
      if (!parsed || typeof parsed !== 'object' || !parsed.auths) throw new Error('no "auths" key');
    } catch (e) {
      throw new InputError(`push secret is not a docker config JSON: ${(e as Error).message}`, { field: 'build.pushSecret' }, 'OAM_BUILD_SECRET');
    }
    return c.dockerconfigjson;
  }
  if (!c.username || !c.password) throw new InputError('push secret must hold dockerconfigjson or username and password', { field: 'build.pushSecret' }, 'OAM_BUILD_SECRET');
  const registry = c.registry ?? registryOf(image);
  return JSON.stringify({ auths: { [registry]: { username: c.username, password: c.password, auth: Buffer.from(`${c.username}:${c.password}`).toString('base64') } } });
}

/** kaniko's git context: git://host/repo.git#refs/heads/main[#commit]. */
export function kanikoContext(spec: BuildSpec): string {
  const url = spec.git.url.replace(/^https?:\/\//, 'git://');
  const ref = spec.git.ref.startsWith('refs/') ? spec.git.ref : spec.git.ref.startsWith('tags/') ? `refs/${spec.git.ref}` : `refs/heads/${spec.git.ref}`;
  return `${url}#${ref}${spec.git.commit ? `#${spec.git.commit}` : ''}`;
}

export function renderKanikoJob(spec: BuildSpec, opts: { buildId: string; namespace: string; registry?: RegistryCredentials; git?: GitCredentials }): KanikoRender {
  const ns = spec.namespace ?? opts.namespace;
  const suffix = createHash('sha256').update(opts.buildId).digest('hex').slice(0, 8);
  const jobName = `build-${spec.name}-${suffix}`.slice(0, 63).replace(/-+$/, '');
  const labels = { [LABEL_BUILD]: spec.name, [LABEL_BUILD_ID]: buildIdLabel(opts.buildId), 'app.kubernetes.io/managed-by': 'sreworks' };
  const args = [
    `--context=${kanikoContext(spec)}`,
    ...(spec.context && spec.context !== '.' ? [`--context-sub-path=${spec.context}`] : []),
    `--dockerfile=${spec.dockerfile}`,
    `--destination=${spec.image}`,
    ...Object.entries(spec.buildArgs).map(([k, v]) => `--build-arg=${k}=${v}`),
    // The digest lands in the termination message, readable through the API without logs.
    '--digest-file=/dev/termination-log',
    ...(spec.cacheRepo ? ['--cache=true', `--cache-repo=${spec.cacheRepo}`] : []),
    ...(spec.insecureRegistry ? ['--insecure', '--skip-tls-verify'] : []),
    '--verbosity=info',
  ];
  const secrets: K8sObject[] = [];
  const volumes: unknown[] = [];
  const mounts: unknown[] = [];
  const env: unknown[] = [];
  if (opts.registry) {
    const name = `${jobName}-docker`;
    secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns, labels }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(spec.image, opts.registry)).toString('base64') } });
    volumes.push({ name: 'docker-config', secret: { secretName: name, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } });
    mounts.push({ name: 'docker-config', mountPath: '/kaniko/.docker', readOnly: true });
  }
  if (opts.git) {
    const name = `${jobName}-git`;
    secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns, labels }, type: 'Opaque', data: { username: Buffer.from(opts.git.username).toString('base64'), password: Buffer.from(opts.git.password).toString('base64') } });
    env.push({ name: 'GIT_USERNAME', valueFrom: { secretKeyRef: { name, key: 'username' } } }, { name: 'GIT_PASSWORD', valueFrom: { secretKeyRef: { name, key: 'password' } } });
  }
  const resources = spec.resources ? { requests: { ...(spec.resources.cpu ? { cpu: spec.resources.cpu } : {}), ...(spec.resources.memory ? { memory: spec.resources.memory } : {}) } } : undefined;
  const job: K8sObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobName, namespace: ns, labels, annotations: { 'sreworks.io/image': spec.image, 'sreworks.io/git': `${spec.git.url}#${spec.git.ref}` } },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: spec.timeoutSeconds,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: KANIKO_CONTAINER,
              image: spec.kanikoImage,
              args,
              ...(env.length ? { env } : {}),
              ...(mounts.length ? { volumeMounts: mounts } : {}),
              ...(resources ? { resources } : {}),
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          ...(volumes.length ? { volumes } : {}),
        },
      },
    },
  };
  return { jobName, namespace: ns, job, secrets };
}

/** The digest kaniko wrote with --digest-file, from a container's termination message. */
export function parseDigest(message: string | undefined): string | undefined {
  const m = /sha256:[0-9a-f]{64}/.exec(message ?? '');
  return m?.[0];
}

/** registry/name:tag + digest → registry/name@sha256:… */
export function imageWithDigest(image: string, digest: string): string {
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return `${colon >= 0 ? image.slice(0, colon) : image}@${digest}`;
}
