// In-memory object store with a global resourceVersion, an event history for WATCH and
// owner-reference garbage collection (background, foreground, orphan).

import { randomUUID, randomBytes } from 'node:crypto';
import { clone, deepEqual, isObject } from './patch.js';
import { builtinResources, groupVersion, splitApiVersion, type ResourceType } from './resources.js';
import { recordUpdate, renderManagedFields, type ManagerEntry } from './ssa.js';
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound, type StatusCause } from './status.js';
import { nameRule, validateLabels, validateName } from './validate.js';

export type Obj = Record<string, any>;

export interface Stored {
  type: ResourceType;
  obj: Obj;
  managers: Map<string, ManagerEntry>;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  typeKey: string;
  obj: Obj;
  prev?: Obj;
}

export type Listener = (ev: StoreEvent) => void;

export function typeKey(t: { group: string; plural: string }): string {
  return `${t.group}/${t.plural}`;
}

export function objKey(t: { group: string; plural: string }, ns: string | undefined, name: string): string {
  return `${typeKey(t)}/${ns ?? ''}/${name}`;
}

export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function specPart(o: Obj): Obj {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

let ipCounter = 10;

export interface WriteContext {
  manager: string;
  dryRun?: boolean;
}

export class ObjectStore {
  readonly objects = new Map<string, Stored>();
  readonly resources: ResourceType[] = builtinResources();
  private rv = 100;
  private history: StoreEvent[] = [];
  private listeners = new Set<Listener>();
  private readonly historyLimit: number;
  readonly gcDelayMs: number;
  /** How long a deleted namespace stays Terminating before it and its contents are gone. */
  readonly namespaceTerminationMs: number;
  private gcTimers = new Set<NodeJS.Timeout>();

  constructor(opts: { historyLimit?: number; gcDelayMs?: number; namespaceTerminationMs?: number } = {}) {
    this.historyLimit = opts.historyLimit ?? 10_000;
    this.gcDelayMs = opts.gcDelayMs ?? 5;
    this.namespaceTerminationMs = opts.namespaceTerminationMs ?? 50;
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.create(this.typeFor('v1', 'Namespace')!, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { manager: 'kube-apiserver' });
    }
  }

  close(): void {
    for (const t of this.gcTimers) clearTimeout(t);
    this.gcTimers.clear();
    this.listeners.clear();
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch may start from without 410. */
  get oldestWatchable(): number {
    return this.history.length > 0 ? this.history[0].rv - 1 : this.rv;
  }

  /** Drop the event history, as an etcd compaction does. */
  compact(): void {
    this.history = [];
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  eventsSince(rv: number): StoreEvent[] {
    return this.history.filter((e) => e.rv > rv);
  }

  typeFor(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.resources.find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  typeByPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.resources.find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  registerType(t: ResourceType): void {
    const i = this.resources.findIndex((r) => r.group === t.group && r.version === t.version && r.plural === t.plural);
    if (i >= 0) this.resources[i] = t;
    else this.resources.push(t);
  }

  unregisterGroupPlural(group: string, plural: string): void {
    for (let i = this.resources.length - 1; i >= 0; i--) if (this.resources[i].group === group && this.resources[i].plural === plural) this.resources.splice(i, 1);
  }

  get(t: ResourceType, ns: string | undefined, name: string): Stored | undefined {
    return this.objects.get(objKey(t, t.namespaced ? ns : undefined, name));
  }

  mustGet(t: ResourceType, ns: string | undefined, name: string): Stored {
    const s = this.get(t, ns, name);
    if (!s) throw notFound(t.plural, t.group, name);
    return s;
  }

  list(t: ResourceType, ns: string | undefined): Stored[] {
    const prefix = `${typeKey(t)}/`;
    const out: Stored[] = [];
    for (const [k, s] of this.objects) {
      if (!k.startsWith(prefix)) continue;
      if (t.namespaced && ns !== undefined && s.obj.metadata.namespace !== ns) continue;
      out.push(s);
    }
    return out.sort((a, b) => `${a.obj.metadata.namespace ?? ''}/${a.obj.metadata.name}`.localeCompare(`${b.obj.metadata.namespace ?? ''}/${b.obj.metadata.name}`));
  }

  /** The object as served for a given version: apiVersion rewritten, managedFields rendered. */
  view(s: Stored, t: ResourceType = s.type): Obj {
    const o = clone(s.obj);
    o.apiVersion = groupVersion(t);
    o.kind = t.kind;
    if (s.managers.size > 0) o.metadata.managedFields = renderManagedFields(s.managers);
    return o;
  }

  private emit(type: EventType, s: Stored, prev?: Obj): void {
    const ev: StoreEvent = { rv: Number(s.obj.metadata.resourceVersion), type, typeKey: typeKey(s.type), obj: s.obj, prev };
    this.history.push(ev);
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    for (const l of [...this.listeners]) l(ev);
  }

  private validateMeta(t: ResourceType, obj: Obj): void {
    const name = obj.metadata?.name;
    const causes: StatusCause[] = [];
    if (typeof name !== 'string' || name === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
    else causes.push(...validateName(name, nameRule(t.kind)));
    causes.push(...validateLabels(obj.metadata?.labels));
    if (obj.metadata?.annotations !== undefined && (!isObject(obj.metadata.annotations) || Object.values(obj.metadata.annotations).some((v) => typeof v !== 'string'))) {
      causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: annotations must be a map of strings', field: 'metadata.annotations' });
    }
    if (causes.length > 0) throw invalid(t.kind, t.group, typeof name === 'string' ? name : '', causes);
  }

  /** POST semantics. */
  create(t: ResourceType, ns: string | undefined, body: Obj, ctx: WriteContext, managers?: Map<string, ManagerEntry>): Obj {
    if (!isObject(body)) throw badRequest('the body of the request must be a JSON object');
    if (body.kind !== undefined && body.kind !== t.kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${t.kind})`);
    const obj: Obj = clone(body);
    obj.apiVersion = groupVersion(t);
    obj.kind = t.kind;
    obj.metadata = isObject(obj.metadata) ? obj.metadata : {};
    if (!obj.metadata.name && typeof obj.metadata.generateName === 'string') {
      obj.metadata.name = obj.metadata.generateName + randomBytes(4).toString('hex').slice(0, 5);
    }
    if (t.namespaced) {
      if (obj.metadata.namespace !== undefined && ns !== undefined && obj.metadata.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns ?? obj.metadata.namespace ?? 'default';
    } else delete obj.metadata.namespace;
    this.validateMeta(t, obj);
    if (t.namespaced) {
      const nsType = this.typeFor('v1', 'Namespace')!;
      const nsObj = this.get(nsType, undefined, obj.metadata.namespace);
      if (!nsObj) throw notFound('namespaces', '', obj.metadata.namespace);
      if (nsObj.obj.metadata.deletionTimestamp) {
        throw forbidden(
          `${t.plural}${t.group ? '.' + t.group : ''} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${obj.metadata.namespace} because it is being terminated`,
          { name: obj.metadata.name, group: t.group, kind: t.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${obj.metadata.namespace} is being terminated`, field: 'metadata.namespace' }] },
        );
      }
    }
    if (this.get(t, obj.metadata.namespace, obj.metadata.name)) throw alreadyExists(t.plural, t.group, obj.metadata.name);
    delete obj.metadata.managedFields;
    delete obj.metadata.deletionTimestamp;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = nowRfc3339();
    if (t.generation) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    if (t.status) delete obj.status;
    this.defaults(t, obj);
    const now = nowRfc3339();
    const mgrs = managers ?? recordUpdate({ before: undefined, after: obj, managers: new Map(), manager: ctx.manager, apiVersion: groupVersion(t), custom: !!t.custom, part: 'main', now });
    if (ctx.dryRun) return this.view({ type: t, obj, managers: mgrs });
    obj.metadata.resourceVersion = String(++this.rv);
    const s: Stored = { type: t, obj, managers: mgrs };
    this.objects.set(objKey(t, obj.metadata.namespace, obj.metadata.name), s);
    this.emit('ADDED', s);
    return this.view(s, t);
  }

  /** Fields the API server itself fills in at creation. */
  private defaults(t: ResourceType, obj: Obj): void {
    if (t.group === '' && t.kind === 'Service') {
      obj.spec = isObject(obj.spec) ? obj.spec : {};
      obj.spec.type ??= 'ClusterIP';
      if (obj.spec.type !== 'ExternalName' && obj.spec.clusterIP === undefined) {
        ipCounter++;
        obj.spec.clusterIP = `10.96.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
        obj.spec.clusterIPs = [obj.spec.clusterIP];
      }
      obj.status = { loadBalancer: {} };
    }
    if (t.group === '' && t.kind === 'Namespace') {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    }
    if (t.group === '' && t.kind === 'PersistentVolumeClaim') obj.status = { phase: 'Pending' };
    if (t.group === '' && t.kind === 'Pod') obj.status = { phase: 'Pending' };
  }

  /**
   * Shared tail of PUT, PATCH and SSA: keeps server-owned metadata, the status or the rest
   * depending on the part written, bumps generation on spec change, skips no-op writes.
   */
  write(s: Stored, next: Obj, part: 'main' | 'status', ctx: WriteContext, managers?: Map<string, ManagerEntry>, deleting = false): Obj {
    const t = s.type;
    const old = s.obj;
    let obj: Obj;
    if (part === 'status') {
      obj = clone(old);
      if (next.status === undefined) delete obj.status;
      else obj.status = clone(next.status);
    } else {
      obj = clone(next);
      obj.apiVersion = groupVersion(t);
      obj.kind = t.kind;
      obj.metadata = isObject(obj.metadata) ? obj.metadata : {};
      if (obj.metadata.name !== undefined && obj.metadata.name !== old.metadata.name) {
        throw badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${old.metadata.name})`);
      }
      obj.metadata.name = old.metadata.name;
      if (t.namespaced) obj.metadata.namespace = old.metadata.namespace;
      if (t.status) {
        if (old.status === undefined) delete obj.status;
        else obj.status = clone(old.status);
      }
      if (t.kind === 'Namespace' && t.group === '') obj.spec = old.spec;
      if (t.kind === 'Service' && t.group === '' && isObject(obj.spec)) {
        obj.spec.clusterIP ??= old.spec?.clusterIP;
        obj.spec.clusterIPs ??= old.spec?.clusterIPs;
        obj.spec.type ??= old.spec?.type;
      }
      this.validateMeta(t, obj);
    }
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    // deletionTimestamp is set only by DELETE itself, never by a client write.
    if (old.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    else if (!deleting) delete obj.metadata.deletionTimestamp;
    delete obj.metadata.managedFields;
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    if (t.generation) {
      obj.metadata.generation = old.metadata.generation ?? 1;
      if (part === 'main' && !deepEqual(specPart(old), specPart(obj))) obj.metadata.generation++;
    } else delete obj.metadata.generation;
    if (old.metadata.deletionTimestamp && Array.isArray(obj.metadata.finalizers)) {
      const added = obj.metadata.finalizers.filter((f: string) => !(old.metadata.finalizers ?? []).includes(f));
      if (added.length > 0) {
        throw forbidden(`${t.kind} "${old.metadata.name}" is forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`);
      }
    }
    const now = nowRfc3339();
    const mgrs = managers ?? recordUpdate({ before: old, after: obj, managers: s.managers, manager: ctx.manager, apiVersion: groupVersion(t), custom: !!t.custom, part, now });
    if (deepEqual(old, obj)) {
      // A no-op write bumps nothing and sends no event; only ownership may change (shared SSA ownership).
      if (!ctx.dryRun) s.managers = mgrs;
      return this.view({ ...s, managers: ctx.dryRun ? mgrs : s.managers }, t);
    }
    if (ctx.dryRun) return this.view({ type: t, obj, managers: mgrs }, t);
    obj.metadata.resourceVersion = String(++this.rv);
    const prev = s.obj;
    s.obj = obj;
    s.managers = mgrs;
    this.emit('MODIFIED', s, prev);
    const isNamespace = t.kind === 'Namespace' && t.group === '';
    if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0 && !isNamespace) this.remove(s);
    return this.view(s, t);
  }

  private remove(s: Stored): void {
    const key = objKey(s.type, s.obj.metadata.namespace, s.obj.metadata.name);
    if (this.objects.get(key) !== s) return;
    this.objects.delete(key);
    const obj = clone(s.obj);
    obj.metadata.resourceVersion = String(++this.rv);
    s.obj = obj;
    this.emit('DELETED', s);
    this.afterRemoval(s);
  }

  dependentsOf(uid: string): Stored[] {
    const out: Stored[] = [];
    for (const s of this.objects.values()) {
      if ((s.obj.metadata.ownerReferences ?? []).some((r: Obj) => r.uid === uid)) out.push(s);
    }
    return out;
  }

  private schedule(fn: () => void, delayMs = this.gcDelayMs): void {
    const t = setTimeout(() => {
      this.gcTimers.delete(t);
      fn();
    }, delayMs);
    this.gcTimers.add(t);
  }

  private afterRemoval(s: Stored): void {
    const uid = s.obj.metadata.uid;
    // Background collection of dependents whose every owner is gone.
    this.schedule(() => {
      for (const d of this.dependentsOf(uid)) {
        const owners = (d.obj.metadata.ownerReferences ?? []) as Obj[];
        const alive = owners.some((r) => r.uid !== uid && [...this.objects.values()].some((o) => o.obj.metadata.uid === r.uid));
        if (!alive && !d.obj.metadata.deletionTimestamp) this.delete(d, { propagationPolicy: 'Background' }, { manager: 'kube-controller-manager' });
      }
      this.reapForeground();
    });
    if (s.type.kind === 'CustomResourceDefinition') {
      const spec = s.obj.spec ?? {};
      this.unregisterGroupPlural(spec.group, spec.names?.plural);
      for (const [k] of this.objects) if (k.startsWith(`${spec.group}/${spec.names?.plural}/`)) this.objects.delete(k);
    }
  }

  /** Foreground deletions finish once the owner has no dependents left. */
  private reapForeground(): void {
    for (const s of [...this.objects.values()]) {
      const fin: string[] = s.obj.metadata.finalizers ?? [];
      if (!s.obj.metadata.deletionTimestamp || !fin.includes('foregroundDeletion')) continue;
      if (this.dependentsOf(s.obj.metadata.uid).length > 0) continue;
      const next = clone(s.obj);
      next.metadata.finalizers = fin.filter((f) => f !== 'foregroundDeletion');
      if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
      this.write(s, next, 'main', { manager: 'kube-controller-manager' });
    }
  }

  /** DELETE semantics; returns the object when deletion is pending, undefined when gone. */
  delete(
    s: Stored,
    opts: { propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string } },
    ctx: WriteContext,
  ): Obj | undefined {
    const t = s.type;
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== s.obj.metadata.uid) {
      throw conflict(t.plural, t.group, s.obj.metadata.name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${s.obj.metadata.uid}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== s.obj.metadata.resourceVersion) {
      throw conflict(t.plural, t.group, s.obj.metadata.name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${s.obj.metadata.resourceVersion}`);
    }
    if (ctx.dryRun) return this.view(s);
    const policy = opts.propagationPolicy ?? 'Background';
    const uid = s.obj.metadata.uid;
    if (policy === 'Orphan') {
      for (const d of this.dependentsOf(uid)) {
        const next = clone(d.obj);
        next.metadata.ownerReferences = next.metadata.ownerReferences.filter((r: Obj) => r.uid !== uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.write(d, next, 'main', { manager: 'kube-controller-manager' });
      }
    }
    if (t.kind === 'Namespace' && t.group === '') return this.deleteNamespace(s);
    const finalizers: string[] = [...(s.obj.metadata.finalizers ?? [])];
    if (policy === 'Foreground' && this.dependentsOf(uid).length > 0 && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (finalizers.length > 0) {
      if (s.obj.metadata.deletionTimestamp) return this.view(s);
      const next = clone(s.obj);
      next.metadata.deletionTimestamp = nowRfc3339();
      next.metadata.finalizers = finalizers;
      // Finalizer bookkeeping is the server's own, not a manager's: keep the manager table.
      const out = this.write(s, next, 'main', ctx, s.managers, true);
      if (finalizers.includes('foregroundDeletion')) {
        for (const d of this.dependentsOf(uid)) if (!d.obj.metadata.deletionTimestamp) this.delete(d, { propagationPolicy: 'Foreground' }, ctx);
        this.schedule(() => this.reapForeground());
      }
      return out;
    }
    this.remove(s);
    return undefined;
  }

  private deleteNamespace(s: Stored): Obj | undefined {
    const name = s.obj.metadata.name;
    const next = clone(s.obj);
    next.metadata.deletionTimestamp = nowRfc3339();
    next.status = { phase: 'Terminating' };
    s.obj = { ...s.obj, status: next.status }; // the main-resource write keeps status; set it first
    const out = this.write(s, next, 'main', { manager: 'kube-apiserver' }, s.managers, true);
    this.schedule(() => {
      for (const o of [...this.objects.values()]) if (o.type.namespaced && o.obj.metadata.namespace === name) this.remove(o);
      const cur = this.objects.get(objKey(s.type, undefined, name));
      if (cur) this.remove(cur);
    }, this.namespaceTerminationMs);
    return out;
  }
}
