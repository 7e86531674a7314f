// The double as a whole: store + HTTP server + controller simulation + fault injection.

import { writeFile } from 'node:fs/promises';
import { stringify as toYaml } from 'yaml';
import { ControllerSim, type ControllerOptions, type JobBehaviour } from './controller.js';
import { clone } from './patch.js';
import { groupVersion, splitApiVersion, type ResourceType } from './resources.js';
import { DoubleServer, type FaultRule } from './server.js';
import { nowRfc3339, ObjectStore, type Obj, type StoreEvent } from './store.js';

export interface KubeApiDoubleOptions {
  port?: number;
  host?: string;
  /** Require `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
  /** Switch the controller simulation on at start. */
  controllers?: Partial<ControllerOptions> | boolean;
  /** Events kept for WATCH resume; older resourceVersions get 410 Expired. */
  watchHistory?: number;
  /** Delay before owner-reference garbage collection runs. */
  gcDelayMs?: number;
  /** How long a deleted namespace stays Terminating (default 50 ms). */
  namespaceTerminationMs?: number;
  /** Kubernetes version reported by /version. */
  version?: { major: string; minor: string };
}

export interface ObjectRefLike {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export class KubeApiDouble {
  readonly store: ObjectStore;
  readonly controllers: ControllerSim;
  private readonly http: DoubleServer;
  private readonly faultRules: FaultRule[] = [];
  private latency = 0;
  private readonly opts: KubeApiDoubleOptions;
  private crdUnsub: () => void;
  url = '';
  port = 0;

  constructor(opts: KubeApiDoubleOptions = {}) {
    this.opts = opts;
    this.store = new ObjectStore({ historyLimit: opts.watchHistory, gcDelayMs: opts.gcDelayMs, namespaceTerminationMs: opts.namespaceTerminationMs });
    this.controllers = new ControllerSim(this.store);
    const v = opts.version ?? { major: '1', minor: '31' };
    this.http = new DoubleServer({
      store: this.store,
      token: opts.token,
      faults: this.faultRules,
      latencyMs: () => this.latency,
      podLog: (ns, pod, c) => this.controllers.logs.get(`${ns}/${pod}/${c}`),
      onPodLogAppend: (fn) => this.controllers.onLogAppend(fn),
      version: { ...v, gitVersion: `v${v.major}.${v.minor}.0-double` },
    });
    this.crdUnsub = this.store.subscribe((ev) => this.onCrd(ev));
  }

  async start(): Promise<this> {
    this.port = await this.http.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1');
    this.url = `http://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
    if (this.opts.controllers) this.controllers.enable(this.opts.controllers === true ? {} : this.opts.controllers);
    return this;
  }

  async close(): Promise<void> {
    this.controllers.close();
    this.crdUnsub();
    this.store.close();
    await this.http.close();
  }

  // ---- kubeconfig --------------------------------------------------------------------------

  /** A kubeconfig (YAML) pointing at this double. */
  kubeconfig(opts: { context?: string; namespace?: string } = {}): string {
    const name = opts.context ?? 'kube-api-double';
    return toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses plain HTTP unless TLS verification is explicitly skipped.
      clusters: [{ name, cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name, user: this.opts.token ? { token: this.opts.token } : { username: 'admin', password: 'double' } }],
      contexts: [{ name, context: { cluster: name, user: name, ...(opts.namespace ? { namespace: opts.namespace } : {}) } }],
      'current-context': name,
      preferences: {},
    });
  }

  async writeKubeconfig(path: string, opts: { context?: string; namespace?: string } = {}): Promise<string> {
    await writeFile(path, this.kubeconfig(opts), { mode: 0o600 });
    return path;
  }

  // ---- fault injection ---------------------------------------------------------------------

  readonly faults = {
    /** Answer the next `times` matching requests with an error Status (500 by default). */
    failNext: (rule: { method?: string; pathIncludes?: string; status?: 500 | 503 | 429; times?: number; message?: string } = {}) => {
      this.faultRules.push({ method: rule.method?.toUpperCase(), pathIncludes: rule.pathIncludes, status: rule.status ?? 500, message: rule.message, remaining: rule.times ?? 1 });
    },
    /** Make a workload's rollout never finish; with `deadlineExceeded` it reports ProgressDeadlineExceeded. */
    stallRollout: (namespace: string, name: string, opts: { kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet'; deadlineExceeded?: boolean } = {}) => {
      const k = `${opts.kind ?? 'Deployment'}/${namespace}/${name}`;
      this.controllers.stalled.add(k);
      if (opts.deadlineExceeded) this.controllers.stallDeadline.add(k);
    },
    /** Make a Job's pod fail with this message. */
    failJob: (namespace: string, name: string, message = 'injected failure') => {
      this.controllers.failingJobs.set(`${namespace}/${name}`, message);
    },
    /** Delay every request. */
    latency: (ms: number) => {
      this.latency = ms;
    },
    clear: () => {
      this.faultRules.length = 0;
      this.controllers.stalled.clear();
      this.controllers.stallDeadline.clear();
      this.controllers.failingJobs.clear();
      this.latency = 0;
    },
  };

  /** Add a Job behaviour (first one returning an outcome wins; the kaniko one is built in). */
  onJob(b: JobBehaviour): void {
    this.controllers.behaviours.unshift(b);
  }

  // ---- direct access for tests -------------------------------------------------------------

  private typeOf(apiVersion: string, kind: string): ResourceType {
    const t = this.store.typeFor(apiVersion, kind);
    if (!t) throw new Error(`kube-api-double: unknown kind ${apiVersion}/${kind}`);
    return t;
  }

  get(ref: ObjectRefLike): Obj | undefined {
    const t = this.typeOf(ref.apiVersion, ref.kind);
    const s = this.store.get(t, ref.namespace, ref.name);
    return s ? this.store.view(s, t) : undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string): Obj[] {
    const t = this.typeOf(apiVersion, kind);
    return this.store.list(t, namespace).map((s) => this.store.view(s, t));
  }

  /** Create or replace an object directly (no HTTP), as `manager`. */
  put(obj: Obj, manager = 'test-setup'): Obj {
    const t = this.typeOf(obj.apiVersion, obj.kind);
    const ns = t.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
    const s = this.store.get(t, ns, obj.metadata.name);
    return s ? this.store.write(s, obj, 'main', { manager }) : this.store.create(t, ns, obj, { manager });
  }

  /** Overwrite an object's status directly (as a controller would). */
  setStatus(ref: ObjectRefLike, status: Obj): Obj {
    const t = this.typeOf(ref.apiVersion, ref.kind);
    const s = this.store.mustGet(t, ref.namespace, ref.name);
    return this.store.write(s, { ...clone(s.obj), status }, 'status', { manager: 'kube-controller-manager' });
  }

  /** End all open watch and log streams (clients must reconnect), as an API server restart does. */
  dropWatches(): void {
    this.http.dropStreams();
  }

  /** Drop the watch history so older resourceVersions get 410 Gone. */
  compact(): void {
    this.store.compact();
  }

  /** Register a CRD (same as POSTing it): `{group, kind, plural, versions, namespaced}`. */
  registerCrd(c: { group: string; kind: string; plural: string; versions: string[]; namespaced?: boolean; singular?: string; shortNames?: string[]; status?: boolean }): Obj {
    return this.put({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${c.plural}.${c.group}` },
      spec: {
        group: c.group,
        scope: c.namespaced === false ? 'Cluster' : 'Namespaced',
        names: { kind: c.kind, plural: c.plural, singular: c.singular ?? c.kind.toLowerCase(), listKind: `${c.kind}List`, ...(c.shortNames ? { shortNames: c.shortNames } : {}) },
        versions: c.versions.map((v, i) => ({ name: v, served: true, storage: i === 0, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, ...(c.status !== false ? { subresources: { status: {} } } : {}) })),
      },
    });
  }

  private onCrd(ev: StoreEvent): void {
    const o = ev.obj;
    if (o.kind !== 'CustomResourceDefinition' || ev.type === 'DELETED') return;
    const spec = o.spec ?? {};
    if (!spec.group || !spec.names?.kind || !spec.names?.plural) return;
    for (const v of spec.versions ?? []) {
      if (v.served === false) continue;
      this.store.registerType({
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        plural: spec.names.plural,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: spec.names.shortNames,
        status: !!v.subresources?.status,
        scale: !!v.subresources?.scale,
        custom: true,
        generation: true,
      });
    }
    if (!(o.status?.conditions ?? []).some((c: Obj) => c.type === 'Established')) {
      const t = this.store.typeFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition')!;
      const s = this.store.get(t, undefined, o.metadata.name);
      if (!s) return;
      const now = nowRfc3339();
      setImmediate(() => {
        const cur = this.store.get(t, undefined, o.metadata.name);
        if (!cur) return;
        this.store.write(cur, { ...clone(cur.obj), status: { acceptedNames: spec.names, storedVersions: [(spec.versions ?? [])[0]?.name].filter(Boolean), conditions: [{ type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now }, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now }] } }, 'status', { manager: 'kube-apiserver' });
      });
    }
  }
}

export async function startKubeApiDouble(opts: KubeApiDoubleOptions = {}): Promise<KubeApiDouble> {
  return new KubeApiDouble(opts).start();
}

/** CRDs commonly needed by OAM definitions: Flux source/helm and Gateway API. */
export function registerCommonCrds(d: KubeApiDouble): void {
  d.registerCrd({ group: 'source.toolkit.fluxcd.io', kind: 'HelmRepository', plural: 'helmrepositories', versions: ['v1', 'v1beta2'], shortNames: ['helmrepo'] });
  d.registerCrd({ group: 'source.toolkit.fluxcd.io', kind: 'GitRepository', plural: 'gitrepositories', versions: ['v1'], shortNames: ['gitrepo'] });
  d.registerCrd({ group: 'source.toolkit.fluxcd.io', kind: 'OCIRepository', plural: 'ocirepositories', versions: ['v1beta2'], shortNames: ['ocirepo'] });
  d.registerCrd({ group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease', plural: 'helmreleases', versions: ['v2', 'v2beta2'], shortNames: ['hr'] });
  d.registerCrd({ group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', plural: 'kustomizations', versions: ['v1'], shortNames: ['ks'] });
  d.registerCrd({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', plural: 'httproutes', versions: ['v1', 'v1beta1'] });
  d.registerCrd({ group: 'gateway.networking.k8s.io', kind: 'Gateway', plural: 'gateways', versions: ['v1', 'v1beta1'], shortNames: ['gtw'] });
  d.registerCrd({ group: 'gateway.networking.k8s.io', kind: 'GatewayClass', plural: 'gatewayclasses', versions: ['v1'], namespaced: false, shortNames: ['gc'] });
}

export { groupVersion, splitApiVersion };
