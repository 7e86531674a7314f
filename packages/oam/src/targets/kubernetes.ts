// The Kubernetes target: server-side apply with field manager "sreworks", an inventory
// ConfigMap per app and environment, health per kind, watch-based waits, conservative GC.

import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { InputError, PlatformError } from '@sreworks/kernel';
import { normalizeForDiff, toYaml, unifiedDiff } from './diff.js';
import { DegradedError, refText, WaitAbortedError, WaitTimeoutError } from './errors.js';
import { hasBuiltinHealth, liveHealth } from './health.js';
import { KubeClient, type KubeClientOptions, type Live } from './kube-client.js';
import { applyWaves, mapLimit, refKey, refOf, sortRefs } from './refs.js';
import type { ApplyScope, CustomHealth, GcOptions, GcPlan, K8sObject, LiveDiff, ObjectRef, ObjectStatus, Target, TargetCapabilities, WaitOptions } from './types.js';

export interface KubernetesTargetOptions extends KubeClientOptions {
  /** Field manager for server-side apply (default "sreworks"). */
  fieldManager?: string;
  /** Take over fields owned by other managers instead of failing with 409 (default false). */
  forceConflicts?: boolean;
  /** Create the scope namespace when missing (default true). */
  createNamespace?: boolean;
  /** Parallel requests within one apply wave (default 8). */
  concurrency?: number;
}

export const LABEL_APP = 'app.oam.dev/name';
export const LABEL_ENV = 'app.oam.dev/env';
export const LABEL_COMPONENT = 'app.oam.dev/component';
export const LABEL_INVENTORY = 'sreworks.io/inventory';
/** Objects carrying this annotation ("true") are shared between apps and kept by GC. */
export const ANNOTATION_SHARED = 'sreworks.io/shared';
/** KubeVela's marker for shared resources; honoured the same way. */
export const ANNOTATION_SHARED_BY = 'app.oam.dev/shared-by';

interface InventoryRecord {
  refs: ObjectRef[];
  resourceVersion?: string;
}

/** Inventory ConfigMap name: readable when it fits, hashed when app/env are long. */
export function inventoryName(scope: Pick<ApplyScope, 'app' | 'env'>): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
  const name = `sreworks-inventory.${clean(scope.app)}.${clean(scope.env)}`;
  if (name.length <= 253 && clean(scope.app) === scope.app && clean(scope.env) === scope.env) return name;
  const h = createHash('sha256').update(`${scope.app}\u0000${scope.env}`).digest('hex').slice(0, 10);
  return `sreworks-inventory.${clean(scope.app).slice(0, 100)}.${clean(scope.env).slice(0, 100)}.${h}`;
}

export function checkScope(scope: ApplyScope): void {
  for (const k of ['app', 'env', 'namespace', 'cluster', 'revision'] as const) {
    if (typeof scope?.[k] !== 'string' || scope[k] === '') throw new InputError(`scope.${k} is required`, { field: `scope.${k}` }, 'OAM_TARGET_SCOPE');
  }
}

/** Validate object shape and drop server-owned fields the renderer may have left in. */
export function cleanObjects(objects: K8sObject[]): K8sObject[] {
  if (!Array.isArray(objects)) throw new InputError('objects must be an array', { field: 'objects' }, 'OAM_TARGET_OBJECT');
  return objects.map((o, i) => {
    for (const f of ['apiVersion', 'kind'] as const) {
      if (typeof o?.[f] !== 'string' || o[f] === '') throw new InputError(`objects[${i}].${f} is required`, { field: `objects[${i}].${f}` }, 'OAM_TARGET_OBJECT');
    }
    if (typeof o.metadata?.name !== 'string' || o.metadata.name === '') {
      throw new InputError(`objects[${i}].metadata.name is required (${o.kind})`, { field: `objects[${i}].metadata.name` }, 'OAM_TARGET_OBJECT');
    }
    // Checked here (kube-apiserver's DNS-1123 subdomain rule) so a bad name is reported with
    // the object's index before anything is sent, and never ends up in a URL path.
    if (o.metadata.name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(o.metadata.name)) {
      throw new InputError(
        `objects[${i}].metadata.name "${o.metadata.name}" (${o.kind}) is invalid: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        { field: `objects[${i}].metadata.name` },
        'OAM_TARGET_INVALID',
      );
    }
    const c = JSON.parse(JSON.stringify(o)) as K8sObject;
    for (const k of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink', 'deletionTimestamp']) delete c.metadata[k];
    delete c.status;
    return c;
  });
}

/** After namespaces are resolved: one object may appear once (same group, kind, namespace, name). */
export function assertUnique(objects: K8sObject[]): void {
  const seen = new Set<string>();
  objects.forEach((c, i) => {
    const key = refKey(refOf(c));
    if (seen.has(key)) throw new InputError(`objects[${i}] duplicates ${refText(refOf(c))}`, { field: `objects[${i}].metadata.name` }, 'OAM_TARGET_OBJECT_DUPLICATE');
    seen.add(key);
  });
}

function isShared(live: Live): boolean {
  const a = live.metadata?.annotations ?? {};
  return a[ANNOTATION_SHARED] === 'true' || (typeof a[ANNOTATION_SHARED_BY] === 'string' && a[ANNOTATION_SHARED_BY] !== '');
}

export class KubernetesTarget implements Target {
  readonly capabilities: TargetCapabilities = { observesHealth: true, kind: 'kubernetes' };
  readonly client: KubeClient;
  readonly fieldManager: string;
  private readonly force: boolean;
  private readonly createNamespace: boolean;
  private readonly concurrency: number;
  private readonly inventoryLocks = new Map<string, Promise<unknown>>();

  constructor(opts: KubernetesTargetOptions) {
    this.client = new KubeClient(opts);
    this.fieldManager = opts.fieldManager ?? 'sreworks';
    this.force = opts.forceConflicts ?? false;
    this.createNamespace = opts.createNamespace ?? true;
    this.concurrency = opts.concurrency ?? 8;
  }

  // ---- preparation -----------------------------------------------------------------------

  /** Resolve scope (namespace) per object via discovery; CRs of CRDs in the same batch use the CRD's scope. */
  async prepare(objects: K8sObject[], scope: ApplyScope): Promise<K8sObject[]> {
    checkScope(scope);
    const clean = cleanObjects(objects);
    const batchCrds = new Map<string, boolean>();
    for (const o of clean) {
      if (o.kind === 'CustomResourceDefinition') {
        const spec = (o as Live).spec ?? {};
        for (const v of spec.versions ?? []) batchCrds.set(`${spec.group}/${v.name}|${spec.names?.kind}`, spec.scope !== 'Cluster');
      }
    }
    const out = await Promise.all(
      clean.map(async (o, i) => {
        let namespaced: boolean | undefined;
        const info = await this.client.resource(o.apiVersion, o.kind);
        if (info) namespaced = info.namespaced;
        else namespaced = batchCrds.get(`${o.apiVersion}|${o.kind}`);
        if (namespaced === undefined) {
          throw new InputError(`objects[${i}]: cluster ${this.client.cluster} does not serve ${o.apiVersion}/${o.kind} (${o.metadata.name}); install its CRD first`, { field: `objects[${i}].kind` }, 'OAM_TARGET_UNKNOWN_KIND');
        }
        if (namespaced) o.metadata.namespace ??= scope.namespace;
        else delete o.metadata.namespace;
        const labels = (o.metadata.labels ??= {});
        labels[LABEL_APP] ??= labelSafe(scope.app);
        labels[LABEL_ENV] ??= labelSafe(scope.env);
        return o;
      }),
    );
    assertUnique(out);
    return out;
  }

  // ---- inventory -------------------------------------------------------------------------

  private inventoryRef(scope: ApplyScope): ObjectRef {
    return { apiVersion: 'v1', kind: 'ConfigMap', namespace: scope.namespace, name: inventoryName(scope) };
  }

  private async readInventory(scope: ApplyScope): Promise<InventoryRecord> {
    const cm = await this.client.get(this.inventoryRef(scope));
    if (!cm) return { refs: [] };
    let refs: ObjectRef[] = [];
    try {
      refs = JSON.parse(cm.data?.objects ?? '[]') as ObjectRef[];
    } catch {
      throw new PlatformError('OAM_TARGET_INVENTORY_CORRUPT', 500, `inventory ${refText(this.inventoryRef(scope))} on cluster ${this.client.cluster} holds invalid JSON in data.objects`);
    }
    return { refs, resourceVersion: cm.metadata?.resourceVersion };
  }

  /** Read-modify-write of the inventory, serialised per app/env in-process and guarded by resourceVersion across processes. */
  private async updateInventory(scope: ApplyScope, change: (refs: ObjectRef[]) => ObjectRef[], deleteWhenEmpty = false): Promise<ObjectRef[]> {
    const key = `${scope.namespace}/${inventoryName(scope)}`;
    const prev = this.inventoryLocks.get(key) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(async () => {
      for (let attempt = 0; ; attempt++) {
        const cur = await this.readInventory(scope);
        const next = sortRefs(dedupe(change(cur.refs)));
        const ref = this.inventoryRef(scope);
        if (next.length === 0 && deleteWhenEmpty) {
          // Nothing left to track (an app removed from this env): do not leave an empty inventory behind.
          if (cur.resourceVersion) await this.client.delete(ref);
          return next;
        }
        const cm = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: ref.name,
            namespace: scope.namespace,
            labels: { [LABEL_APP]: labelSafe(scope.app), [LABEL_ENV]: labelSafe(scope.env), [LABEL_INVENTORY]: 'true' },
            ...(cur.resourceVersion ? { resourceVersion: cur.resourceVersion } : {}),
          },
          data: { app: scope.app, env: scope.env, cluster: scope.cluster, revision: scope.revision, objects: JSON.stringify(next) },
        };
        try {
          if (cur.resourceVersion) await this.client.apply(cm as KubernetesObject, { fieldManager: this.fieldManager, force: true }, ref);
          else await this.client.create(cm as KubernetesObject, ref, this.fieldManager);
          return next;
        } catch (e) {
          const status = (e as { status?: number }).status;
          if (status === 409 && attempt < 5) continue; // someone else wrote it; re-read and merge again
          throw e;
        }
      }
    });
    this.inventoryLocks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.inventoryLocks.get(key) === run) this.inventoryLocks.delete(key);
    }
  }

  async inventory(scope: ApplyScope): Promise<ObjectRef[]> {
    checkScope(scope);
    return (await this.readInventory(scope)).refs;
  }

  // ---- apply -----------------------------------------------------------------------------

  /** Namespaces seen to exist, with when: saves a GET per apply; forgotten on a 404. */
  private readonly knownNamespaces = new Map<string, number>();

  private async ensureNamespace(name: string, dryRun: boolean): Promise<void> {
    const seen = this.knownNamespaces.get(name);
    if (seen !== undefined && Date.now() - seen < 60_000) return;
    const ref = { apiVersion: 'v1', kind: 'Namespace', name };
    if (!(await this.client.get(ref))) {
      if (dryRun) return;
      await this.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: this.fieldManager, force: false }, ref);
    }
    this.knownNamespaces.set(name, Date.now());
  }

  async apply(objects: K8sObject[], scope: ApplyScope, opts: { dryRun?: boolean } = {}): Promise<ObjectStatus[]> {
    const dryRun = !!opts.dryRun;
    const prepared = await this.prepare(objects, scope);
    if (this.createNamespace) {
      const namespaces = new Set([scope.namespace, ...prepared.map((o) => o.metadata.namespace).filter((n): n is string => !!n)]);
      const declared = new Set(prepared.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => o.metadata.name));
      for (const ns of namespaces) if (!declared.has(ns)) await this.ensureNamespace(ns, dryRun);
    }
    // Inventory first: an object that reaches the cluster is always tracked, even if we crash right after.
    if (!dryRun) await this.updateInventory(scope, (refs) => [...refs, ...prepared.map(refOf)]);
    const results = new Map<string, ObjectStatus>();
    // A dry run cannot ask the server about objects in namespaces that do not exist yet.
    const missingNs = new Set<string>();
    if (dryRun) {
      for (const ns of new Set(prepared.map((o) => o.metadata.namespace).filter((n): n is string => !!n))) {
        if (!(await this.client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))) missingNs.add(ns);
      }
    }
    for (const wave of applyWaves(prepared)) {
      const settled = await mapLimit(wave, this.concurrency, async (o) => {
        if (o.metadata.namespace && missingNs.has(o.metadata.namespace)) {
          results.set(refKey(refOf(o)), { ref: refOf(o), healthy: false, phase: 'missing', message: `dry-run: would create (namespace ${o.metadata.namespace} would be created first)` });
          return;
        }
        const live = await this.client.apply(o as KubernetesObject, { fieldManager: this.fieldManager, force: this.force, dryRun }, refOf(o));
        const st = liveHealth(refOf(o), live);
        if (dryRun) st.message = `dry-run: ${st.message}`;
        results.set(refKey(refOf(o)), st);
      });
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        const err = failed.reason as { status?: number; details?: unknown };
        if (err.status === 404) this.knownNamespaces.clear();
        // Say what did reach the cluster before the failure (it is in the inventory too).
        if (err.details && typeof err.details === 'object' && !Array.isArray(err.details)) {
          const applied = [...results.values()].map((st) => refText(st.ref));
          const failedRefs = wave.filter((_o, i) => settled[i].status === 'rejected').map((o) => refText(refOf(o)));
          Object.assign(err.details, { applied, failed: failedRefs });
        }
        throw failed.reason;
      }
      if (!dryRun && wave.some((o) => o.kind === 'CustomResourceDefinition')) await this.waitCrdsServed(wave.filter((o) => o.kind === 'CustomResourceDefinition'));
    }
    return prepared.map((o) => results.get(refKey(refOf(o)))!);
  }

  /** CRs can only be applied once their CRD is served by discovery. */
  private async waitCrdsServed(crds: K8sObject[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (const crd of crds) {
      const spec = (crd as Live).spec ?? {};
      const apiVersion = `${spec.group}/${(spec.versions ?? [])[0]?.name}`;
      while (!(await this.client.resource(apiVersion, spec.names?.kind))) {
        if (Date.now() > deadline) throw new PlatformError('OAM_TARGET_CRD_NOT_SERVED', 504, `CRD ${crd.metadata.name} was applied but ${apiVersion}/${spec.names?.kind} is not served after 30 s`);
        this.client.forgetDiscovery();
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  // ---- health ----------------------------------------------------------------------------

  private async evaluate(o: K8sObject, live: Live | undefined, custom?: CustomHealth): Promise<ObjectStatus> {
    const ref = refOf(o);
    const component = o.metadata.labels?.[LABEL_COMPONENT];
    if (live && custom) {
      // Definition health wins where given; built-in rules cover the rest.
      try {
        const c = await custom(o, live);
        if (c) return { ...c, ref, component: c.component ?? component };
      } catch (e) {
        return { ref, component, healthy: false, phase: 'unknown', message: `custom health failed: ${(e as Error)?.message ?? String(e)}` };
      }
    }
    const st = liveHealth(ref, live, component);
    if (live && !custom && !hasBuiltinHealth(o.apiVersion, o.kind)) st.message = `${st.message} (generic rule)`;
    return st;
  }

  /**
   * Why a workload is not ready, from its pods: "pod web-x container main: ImagePullBackOff: …".
   * Rollout status alone says "0 of 1 available"; the pod says why (KubeVela users ask for this).
   */
  async diagnose(o: K8sObject | ObjectRef, live?: Live): Promise<string | undefined> {
    const ref = 'metadata' in o ? refOf(o) : o;
    if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(ref.kind) || !ref.namespace) return undefined;
    const l = live ?? (await this.client.get(ref));
    const match = l?.spec?.selector?.matchLabels as Record<string, string> | undefined;
    if (!match || Object.keys(match).length === 0) return undefined;
    const selector = Object.entries(match).map(([k, v]) => `${k}=${v}`).join(',');
    let pods: Live[];
    try {
      pods = await this.client.list('v1', 'Pod', ref.namespace, selector);
    } catch {
      return undefined; // diagnosis is best effort
    }
    const reasons: string[] = [];
    for (const p of pods) {
      for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
        const w = c.state?.waiting;
        const t = c.state?.terminated ?? c.lastState?.terminated;
        if (w?.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') reasons.push(`pod ${p.metadata.name} container ${c.name}: ${w.reason}${w.message ? `: ${w.message}` : ''}`);
        else if (t && t.exitCode !== 0 && ref.kind !== 'Job') reasons.push(`pod ${p.metadata.name} container ${c.name}: terminated ${t.reason ?? ''} (exit code ${t.exitCode})`);
      }
      const unsched = (p.status?.conditions ?? []).find((c: Live) => c.type === 'PodScheduled' && c.status === 'False');
      if (unsched) reasons.push(`pod ${p.metadata.name}: ${unsched.reason ?? 'Unschedulable'}${unsched.message ? `: ${unsched.message}` : ''}`);
    }
    if (reasons.length === 0) return undefined;
    const shown = reasons.slice(0, 3);
    return reasons.length > 3 ? `${shown.join('; ')}; and ${reasons.length - 3} more` : shown.join('; ');
  }

  private async withDiagnosis(st: ObjectStatus, live?: Live): Promise<ObjectStatus> {
    if (st.healthy || st.phase === 'missing') return st;
    const why = await this.diagnose(st.ref, live);
    return why ? { ...st, message: `${st.message} (${why})` } : st;
  }

  async health(objects: K8sObject[], scope: ApplyScope, custom?: CustomHealth): Promise<ObjectStatus[]> {
    const prepared = await this.prepare(objects, scope);
    const settled = await mapLimit(prepared, this.concurrency, async (o) => {
      const live = await this.client.get(refOf(o));
      return this.withDiagnosis(await this.evaluate(o, live, custom), live);
    });
    return settled.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    });
  }

  async waitHealthy(objects: K8sObject[], scope: ApplyScope, opts: WaitOptions = {}): Promise<ObjectStatus[]> {
    const timeoutMs = opts.timeoutMs ?? 300_000;
    const pollMs = opts.pollMs ?? 2_000;
    const failOnDegraded = opts.failOnDegraded ?? true;
    const prepared = await this.prepare(objects, scope);
    const byKey = new Map(prepared.map((o) => [refKey(refOf(o)), o]));
    const statuses = new Map<string, ObjectStatus>();
    const started = Date.now();
    return new Promise<ObjectStatus[]>((resolve, reject) => {
      let finished = false;
      const stops: Array<() => void> = [];
      let pollTimer: NodeJS.Timeout | undefined;
      const finish = (err?: Error) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearTimeout(pollTimer);
        opts.signal?.removeEventListener('abort', onAbort);
        for (const s of stops) s();
        const list = prepared.map((o) => statuses.get(refKey(refOf(o)))!);
        if (err) reject(err);
        else resolve(list);
      };
      const check = () => {
        if (finished || statuses.size < prepared.length) return;
        const list = [...statuses.values()];
        if (list.every((s) => s.healthy)) return finish();
        const bad = list.filter((s) => s.phase === 'degraded');
        if (failOnDegraded && bad.length > 0) {
          finish(new DegradedError(`${bad.length} object(s) degraded on cluster ${this.client.cluster}: ${bad.map((s) => `${refText(s.ref)}: ${s.message}`).join('; ')}`, prepared.map((o) => statuses.get(refKey(refOf(o)))!)));
        }
      };
      const onAbort = () => finish(new WaitAbortedError(`wait for ${prepared.length} object(s) of ${scope.app}/${scope.env} aborted`));
      const timer = setTimeout(() => {
        void (async () => {
          const raw = prepared.map((o) => statuses.get(refKey(refOf(o))) ?? { ref: refOf(o), healthy: false, phase: 'unknown' as const, message: 'no status observed yet' });
          // Say why, not only what: pod-level reasons for workloads still waited for (bounded in time).
          const list = await Promise.race([
            Promise.all(raw.map((s) => this.withDiagnosis(s).catch(() => s))),
            new Promise<ObjectStatus[]>((r) => setTimeout(() => r(raw), 2000)),
          ]);
          const waiting = list.filter((s) => !s.healthy);
          finish(
            new WaitTimeoutError(
              `timed out after ${Date.now() - started} ms on cluster ${this.client.cluster} waiting for ${waiting.length} of ${list.length} object(s) to become healthy: ${waiting.map((s) => `${refText(s.ref)} (${s.phase}: ${s.message})`).join('; ')}`,
              list,
            ),
          );
        })();
      }, timeoutMs);
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort);
      // Newest wins: a slow poll must not overwrite what a watch event already reported.
      const rvs = new Map<string, number>();
      const seq = new Map<string, number>();
      const observe = async (k: string, live: Live | undefined, deleted = false) => {
        const rv = Number(live?.metadata?.resourceVersion ?? 0);
        if (live && rv < (rvs.get(k) ?? 0)) return;
        if (live) rvs.set(k, rv);
        if (!live && !deleted && (rvs.get(k) ?? 0) > 0) return; // a stale 404 after a watch saw it
        const mine = (seq.get(k) ?? 0) + 1;
        seq.set(k, mine);
        const st = await this.evaluate(byKey.get(k)!, live, opts.custom);
        if (seq.get(k) === mine) statuses.set(k, st); // a newer observation superseded this one
      };
      const poll = async () => {
        try {
          const settled = await mapLimit(prepared, this.concurrency, async (o) => observe(refKey(refOf(o)), await this.client.get(refOf(o))));
          if (finished) return;
          const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
          if (failed) throw failed.reason;
          check();
        } catch (e) {
          // A transient read failure is not a verdict; the next poll or watch event decides.
          if (!(e instanceof PlatformError) || e.status < 500) return finish(e as Error);
        }
        if (!finished) pollTimer = setTimeout(poll, pollMs);
      };
      // Watches give prompt updates; the poll is the fallback when a watch ends early. One watch
      // per collection, selected by the app label when every object there carries it.
      const startWatches = async () => {
        const groups = new Map<string, K8sObject[]>();
        for (const o of prepared) {
          const k = `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}`;
          groups.set(k, [...(groups.get(k) ?? []), o]);
        }
        await Promise.all(
          [...groups.values()].map(async (objs) => {
            const first = objs[0];
            const appLabel = first.metadata.labels?.[LABEL_APP];
            const byLabel = objs.length > 1 && appLabel !== undefined && objs.every((o) => o.metadata.labels?.[LABEL_APP] === appLabel);
            const selectors = byLabel ? [{ labelSelector: `${LABEL_APP}=${appLabel}` }] : objs.map((o) => ({ fieldSelector: `metadata.name=${o.metadata.name}` }));
            try {
              const path = await this.client.collectionPath(first.apiVersion, first.kind, first.metadata.namespace);
              await Promise.all(
                selectors.map(async function open(this: KubernetesTarget, query: Record<string, string>): Promise<void> {
                  // Servers end watches (timeouts, restarts); reopen after a pause while still waiting.
                  const reopen = () => {
                    if (finished) return;
                    const t = setTimeout(() => void open.call(this, query).catch(() => undefined), 1000);
                    stops.push(() => clearTimeout(t));
                  };
                  const stop = await this.client.watch(
                    path,
                    query,
                    (type, obj) => {
                      if (finished || type === 'ERROR' || type === 'BOOKMARK' || !obj?.metadata?.name) return;
                      const k = refKey({ apiVersion: first.apiVersion, kind: first.kind, namespace: first.metadata.namespace, name: obj.metadata.name });
                      if (!byKey.has(k)) return; // another object of the same app
                      const done = type === 'DELETED' ? (rvs.set(k, Number(obj.metadata.resourceVersion ?? 0)), observe(k, undefined, true)) : observe(k, obj);
                      void done.then(check, () => undefined);
                    },
                    reopen,
                  );
                  if (finished) stop();
                  else stops.push(stop);
                }, this),
              );
            } catch {
              // Watch not possible (e.g. forbidden): polling covers it.
            }
          }),
        );
      };
      void startWatches();
      void poll();
    });
  }

  // ---- garbage collection ----------------------------------------------------------------

  async gcPlan(scope: ApplyScope, keep: ObjectRef[], opts: GcOptions = {}): Promise<GcPlan> {
    checkScope(scope);
    const keepKeys = new Set(keep.map((r) => refKey({ ...r, namespace: r.namespace ?? undefined })));
    const keepWithNs = new Set(keep.map((r) => refKey({ ...r, namespace: r.namespace ?? scope.namespace })));
    const inv = await this.inventory(scope);
    const plan: GcPlan = { delete: [], retain: [], gone: [] };
    const candidates = inv.filter((ref) => !keepKeys.has(refKey(ref)) && !keepWithNs.has(refKey(ref)));
    const lives = await mapLimit(candidates, this.concurrency, (ref) => this.client.get(ref));
    for (const [i, ref] of candidates.entries()) {
      const got = lives[i];
      if (got.status === 'rejected') throw got.reason;
      const live = got.value;
      if (!live) {
        plan.gone.push(ref);
        continue;
      }
      const owner = live.metadata?.labels?.[LABEL_APP];
      if (owner !== undefined && owner !== labelSafe(scope.app)) {
        plan.retain.push({ ref, reason: `labelled as belonging to app "${owner}"` });
      } else if (ref.kind === 'PersistentVolumeClaim' && ref.apiVersion === 'v1' && !opts.includePVC) {
        plan.retain.push({ ref, reason: 'PersistentVolumeClaim kept (holds data); pass includePVC to delete' });
      } else if (ref.kind === 'Namespace' && ref.apiVersion === 'v1' && !opts.includeNamespaces) {
        plan.retain.push({ ref, reason: 'Namespace kept (deleting it deletes its claims); pass includeNamespaces to delete' });
      } else if (isShared(live) && !opts.includeShared) {
        plan.retain.push({ ref, reason: 'annotated as shared; pass includeShared to delete' });
      } else plan.delete.push(ref);
    }
    return plan;
  }

  async gc(scope: ApplyScope, keep: ObjectRef[], opts: GcOptions = {}): Promise<ObjectRef[]> {
    const plan = await this.gcPlan(scope, keep, opts);
    const deleted: ObjectRef[] = [];
    const settled = await mapLimit(plan.delete, this.concurrency, async (ref) => {
      if (await this.client.delete(ref, 'Background')) deleted.push(ref);
    });
    const removed = new Set([...deleted, ...plan.gone].map(refKey));
    for (const [i, s] of settled.entries()) if (s.status === 'fulfilled') removed.add(refKey(plan.delete[i]));
    await this.updateInventory(scope, (refs) => refs.filter((r) => !removed.has(refKey(r))), true);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return sortRefs(deleted);
  }

  // ---- diff ------------------------------------------------------------------------------

  async liveDiff(objects: K8sObject[], scope: ApplyScope): Promise<LiveDiff[]> {
    const prepared = await this.prepare(objects, scope);
    const settled = await mapLimit(prepared, this.concurrency, async (o): Promise<LiveDiff> => {
      const ref = refOf(o);
      const live = await this.client.get(ref);
      if (!live) return { ref, change: 'create', diff: unifiedDiff('', toYaml(o), '/dev/null', refText(ref)) };
      // Server-side diff (as Argo CD does): what the API server would store after our apply.
      let after: Live;
      if (o.metadata.namespace && !(await this.client.get({ apiVersion: 'v1', kind: 'Namespace', name: o.metadata.namespace }))) after = o;
      else after = await this.client.apply(o as KubernetesObject, { fieldManager: this.fieldManager, force: true, dryRun: true }, ref);
      // Sorted keys: both sides are server output, but key order is not part of the content.
      const a = toYaml(normalizeForDiff(live), true);
      const b = toYaml(normalizeForDiff(after), true);
      const diff = unifiedDiff(a, b, `live ${refText(ref)}`, `desired ${refText(ref)}`);
      return { ref, change: diff ? 'update' : 'none', diff };
    });
    return settled.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    });
  }
}

function dedupe(refs: ObjectRef[]): ObjectRef[] {
  const m = new Map<string, ObjectRef>();
  for (const r of refs) m.set(refKey(r), { apiVersion: r.apiVersion, kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name });
  return [...m.values()];
}

/** Label values are limited to 63 characters of [A-Za-z0-9_.-]. */
export function labelSafe(v: string): string {
  const s = v.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return s;
}
