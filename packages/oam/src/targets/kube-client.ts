// A thin client over @kubernetes/client-node: discovery-backed paths, server-side apply,
// plain-JSON results, retries on transient failures, watches and pod logs.

import { PassThrough } from 'node:stream';
import { ApiException, KubeConfig, KubernetesObjectApi, Log, PatchStrategy, Watch, type KubernetesObject } from '@kubernetes/client-node';
import fetch from 'node-fetch';
import { InputError } from '@sreworks/kernel';
import { fromKubeStatus, TargetUnavailableError, type KubeStatusBody } from './errors.js';
import { groupOf } from './refs.js';
import type { ObjectRef } from './types.js';

export type Live = Record<string, any>;

export interface KubeClientOptions {
  /** Kubeconfig YAML text, a path to a kubeconfig file, or a loaded KubeConfig. */
  kubeconfig: string | KubeConfig;
  context?: string;
  /** Name used in messages; defaults to the kubeconfig's current cluster name. */
  cluster?: string;
  /** Attempts for idempotent calls on 5xx/429/network errors (default 3). */
  attempts?: number;
  /** Server-side field validation for apply (default Strict: unknown fields are refused, not dropped). */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

/** A non-2xx answer to a raw request, shaped like client-node's ApiException for one error path. */
class RawApiError extends ApiException<unknown> {}

/** KubernetesObjectApi with its discovery lookup made callable. */
class ObjectApi extends KubernetesObjectApi {
  lookup(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }
}

export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function statusBody(e: ApiException<unknown>): KubeStatusBody | undefined {
  const b = e.body as unknown;
  if (typeof b === 'string') {
    try {
      return JSON.parse(b) as KubeStatusBody;
    } catch {
      return { message: b };
    }
  }
  return b as KubeStatusBody | undefined;
}

function loadConfig(src: string | KubeConfig, context?: string): KubeConfig {
  if (src instanceof KubeConfig) return src;
  const kc = new KubeConfig();
  if (/^\s*(apiVersion|kind|clusters|current-context)\s*:/m.test(src)) kc.loadFromString(src);
  else kc.loadFromFile(src);
  if (context) kc.setCurrentContext(context);
  return kc;
}

export class KubeClient {
  readonly kc: KubeConfig;
  readonly cluster: string;
  private readonly api: ObjectApi;
  private readonly attempts: number;
  private readonly fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  private readonly resourceCache = new Map<string, ResourceInfo>();

  constructor(opts: KubeClientOptions) {
    try {
      this.kc = loadConfig(opts.kubeconfig, opts.context);
    } catch (e) {
      throw new InputError(`kubeconfig cannot be loaded: ${(e as Error).message}`, { field: 'kubeconfig' }, 'OAM_TARGET_KUBECONFIG', e);
    }
    if (!this.kc.getCurrentCluster()) throw new InputError('kubeconfig has no current cluster', { field: 'kubeconfig' }, 'OAM_TARGET_KUBECONFIG');
    this.cluster = opts.cluster ?? this.kc.getCurrentCluster()!.name;
    this.api = this.kc.makeApiClient(ObjectApi);
    this.attempts = opts.attempts ?? 3;
    this.fieldValidation = opts.fieldValidation ?? 'Strict';
  }

  /** Map any failure to a platform error naming the object and the cluster. */
  fail(e: unknown, ref: ObjectRef | undefined, action: string): Error {
    if (e instanceof ApiException) return fromKubeStatus(e.code, statusBody(e), ref, action, this.cluster);
    if (e instanceof InputError) return e;
    const msg = (e as Error)?.message ?? String(e);
    return new TargetUnavailableError(`${action} ${ref ? `${ref.kind} ${ref.name}` : ''}: cluster ${this.cluster} unreachable: ${msg}`.replace('  ', ' '), { cluster: this.cluster }, e);
  }

  private transient(e: unknown): boolean {
    if (e instanceof ApiException) return e.code >= 500 || e.code === 429;
    return !(e instanceof InputError);
  }

  /** Retry idempotent calls on transient failures (5xx, 429, connection errors). */
  async retry<T>(fn: () => Promise<T>, ref: ObjectRef | undefined, action: string): Promise<T> {
    let last: unknown;
    for (let i = 0; i < this.attempts; i++) {
      try {
        return await fn();
      } catch (e) {
        last = e;
        if (!this.transient(e) || i === this.attempts - 1) break;
        await new Promise((r) => setTimeout(r, 50 * 3 ** i));
      }
    }
    throw this.fail(last, ref, action);
  }

  /** Discovery: the resource's plural and scope; undefined when the cluster does not serve the kind. */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const key = `${apiVersion}|${kind}`;
    const hit = this.resourceCache.get(key);
    if (hit) return hit;
    let r;
    try {
      r = await this.retry(() => this.api.lookup(apiVersion, kind), undefined, `discover ${apiVersion}/${kind}`);
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
    if (!r) return undefined;
    const info = { plural: r.name, namespaced: r.namespaced };
    this.resourceCache.set(key, info);
    return info;
  }

  forgetDiscovery(): void {
    this.resourceCache.clear();
  }

  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const info = await this.resource(apiVersion, kind);
    if (!info) throw new InputError(`cluster ${this.cluster} does not serve ${apiVersion}/${kind}`, { field: 'kind' }, 'OAM_TARGET_UNKNOWN_KIND');
    const base = groupOf(apiVersion) ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return info.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${info.plural}` : `${base}/${info.plural}`;
  }

  private header(ref: ObjectRef) {
    return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
  }

  /** Read an object as the server sent it (raw JSON, no model round trip); undefined when absent. */
  async get(ref: ObjectRef): Promise<Live | undefined> {
    try {
      const path = `${await this.collectionPath(ref.apiVersion, ref.kind, ref.namespace)}/${encodeURIComponent(ref.name)}`;
      return await this.retry(() => this.raw('GET', path, undefined, 'application/json'), ref, 'read');
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
  }

  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<Live[]> {
    const res = await this.retry(() => this.api.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector), undefined, `list ${kind}`);
    return plain(res.items as unknown as Live[]).map((i) => ({ apiVersion, kind, ...i }));
  }

  /**
   * Server-side apply, sent as the object's own JSON. (KubernetesObjectApi.patch re-serialises
   * through its typed models, which silently drops unknown fields and lower-cases the URL; the
   * raw request lets the server see exactly what was rendered and validate it strictly.)
   * Apply is idempotent, so transient failures are retried.
   */
  async apply(obj: KubernetesObject, opts: { fieldManager: string; force: boolean; dryRun?: boolean }, ref: ObjectRef): Promise<Live> {
    const path = `${await this.collectionPath(ref.apiVersion, ref.kind, ref.namespace)}/${encodeURIComponent(ref.name)}`;
    const q = new URLSearchParams({ fieldManager: opts.fieldManager, force: String(opts.force), fieldValidation: this.fieldValidation });
    if (opts.dryRun) q.set('dryRun', 'All');
    const body = JSON.stringify(obj);
    return this.retry(() => this.raw('PATCH', `${path}?${q}`, body, PatchStrategy.ServerSideApply), ref, opts.dryRun ? 'dry-run apply' : 'apply');
  }

  private async raw(method: string, path: string, body: string | undefined, contentType: string): Promise<Live> {
    const server = this.kc.getCurrentCluster()!.server.replace(/\/+$/, '');
    const init = await this.kc.applyToFetchOptions({ method, headers: { 'Content-Type': contentType, Accept: 'application/json' } });
    const res = await fetch(`${server}${path}`, { ...init, body } as never);
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw new RawApiError(res.status, 'Unsuccessful HTTP Request', text, {});
    return JSON.parse(text) as Live;
  }

  async create(obj: KubernetesObject, ref: ObjectRef, fieldManager: string): Promise<Live> {
    try {
      return plain(await this.api.create(obj, undefined, undefined, fieldManager));
    } catch (e) {
      throw this.fail(e, ref, 'create');
    }
  }

  /** Delete; false when it was already gone. */
  async delete(ref: ObjectRef, propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background'): Promise<boolean> {
    try {
      await this.retry(() => this.api.delete(this.header(ref), undefined, undefined, undefined, undefined, propagationPolicy), ref, 'delete');
      return true;
    } catch (e) {
      if ((e as { status?: number }).status === 404) return false;
      throw e;
    }
  }

  /** Start a watch; `onEvent` gets (type, object). Resolves to a stopper. */
  async watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: (type: string, obj: Live) => void, onDone: (err: unknown) => void): Promise<() => void> {
    const ctl = await new Watch(this.kc).watch(path, query, (type, obj) => onEvent(type, obj as Live), onDone);
    return () => ctl.abort();
  }

  /** A pod's log as text (not followed). */
  async podLog(namespace: string, pod: string, container: string, opts: { tailLines?: number } = {}): Promise<string> {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve) => stream.on('end', resolve));
    try {
      await new Log(this.kc).log(namespace, pod, container, stream, { follow: false, tailLines: opts.tailLines });
    } catch (e) {
      throw this.fail(e, { apiVersion: 'v1', kind: 'Pod', namespace, name: pod }, 'read log of');
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    return Buffer.concat(chunks).toString('utf8');
  }
}
