// The HTTP face of the double: kube-apiserver's REST paths, verbs, content types and errors.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { clone, isObject, jsonPatch, mergePatch, strategicMergePatch, type Json } from './patch.js';
import { groupVersion, VERBS_NAMESPACED, type ResourceType } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { serverSideApply } from './ssa.js';
import {
  badRequest,
  conflict,
  gone,
  internalError,
  invalid,
  methodNotAllowed,
  notFound,
  pageNotFound,
  StatusError,
  success,
  unauthorized,
  unsupportedMediaType,
  type KubeStatus,
} from './status.js';
import { nowRfc3339, type ObjectStore, type Obj, type Stored, type StoreEvent } from './store.js';
import { toTable, wantsTable } from './table.js';

export interface FaultRule {
  method?: string;
  pathIncludes?: string;
  status: number;
  message?: string;
  remaining: number;
}

export interface ServerHooks {
  store: ObjectStore;
  token?: string;
  faults: FaultRule[];
  latencyMs: () => number;
  podLog: (ns: string, pod: string, container: string) => { lines: string[]; done: boolean } | undefined;
  onPodLogAppend: (fn: () => void) => () => void;
  version: { major: string; minor: string; gitVersion: string };
}

interface Route {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  watch: boolean;
}

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendStatus(res: ServerResponse, st: KubeStatus): void {
  send(res, st.code, st);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the request body could not be decoded as JSON: ${(e as Error).message}`);
  }
}

/** The default field manager, derived from the User-Agent as kube-apiserver does. */
function defaultManager(req: IncomingMessage): string {
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0].slice(0, 128) || 'unknown';
}

export class DoubleServer {
  readonly server: Server;
  private readonly h: ServerHooks;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly openWatches = new Set<() => void>();

  constructor(hooks: ServerHooks) {
    this.h = hooks;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) sendStatus(res, internalError((e as Error).message).status);
        else res.end();
      });
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** End every open watch and log stream, as an API server restart would. */
  dropStreams(): void {
    for (const stop of [...this.openWatches]) stop();
  }

  async close(): Promise<void> {
    for (const stop of [...this.openWatches]) stop();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const method = (req.method ?? 'GET').toUpperCase();
    const latency = this.h.latencyMs();
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    try {
      if (this.h.token && req.headers.authorization !== `Bearer ${this.h.token}`) throw unauthorized();
      const fault = this.h.faults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && (!f.pathIncludes || url.pathname.includes(f.pathIncludes)));
      if (fault) {
        fault.remaining--;
        if (fault.status === 500) throw internalError(fault.message ?? 'injected fault');
        throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: fault.message ?? 'injected fault', reason: fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', code: fault.status });
      }
      if (await this.discovery(url.pathname, res)) return;
      const route = this.route(url.pathname);
      if (!route) throw pageNotFound();
      await this.resource(route, method, url, req, res);
    } catch (e) {
      if (e instanceof StatusError) sendStatus(res, e.status);
      else throw e;
    }
  }

  // ---- discovery -------------------------------------------------------------------------

  private async discovery(path: string, res: ServerResponse): Promise<boolean> {
    const p = path.replace(/\/+$/, '') || '/';
    const store = this.h.store;
    if (p === '/version') {
      send(res, 200, { ...this.h.version, gitCommit: 'double', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.22', compiler: 'gc', platform: 'linux/amd64' });
      return true;
    }
    if (p === '/healthz' || p === '/readyz' || p === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return true;
    }
    if (p === '/api') {
      const addr = this.server.address() as AddressInfo;
      send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${addr.port}` }] });
      return true;
    }
    if (p === '/apis') {
      send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups() });
      return true;
    }
    let m = p.match(/^\/apis\/([^/]+)$/);
    if (m) {
      const g = this.groups().find((x) => x.name === m![1]);
      if (!g) throw pageNotFound();
      send(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...g });
      return true;
    }
    m = p.match(/^\/api\/(v1)$/) ?? p.match(/^\/apis\/([^/]+\/[^/]+)$/);
    if (m) {
      const gv = m[1];
      const types = store.resources.filter((r) => groupVersion(r) === gv);
      if (types.length === 0) throw pageNotFound();
      const resources: Obj[] = [];
      for (const t of types) {
        resources.push({ name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: VERBS_NAMESPACED, ...(t.shortNames ? { shortNames: t.shortNames } : {}), storageVersionHash: Buffer.from(`${gv}/${t.kind}`).toString('base64').slice(0, 11) });
        if (t.status) resources.push({ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
        if (t.scale) resources.push({ name: `${t.plural}/scale`, singularName: '', namespaced: t.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
        if (t.kind === 'Pod' && t.group === '') resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
      }
      send(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources });
      return true;
    }
    return false;
  }

  private groups(): Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion: { groupVersion: string; version: string } }> {
    const byGroup = new Map<string, string[]>();
    for (const r of this.h.store.resources) {
      if (!r.group) continue;
      const vs = byGroup.get(r.group) ?? [];
      if (!vs.includes(r.version)) vs.push(r.version);
      byGroup.set(r.group, vs);
    }
    return [...byGroup.entries()].map(([name, versions]) => {
      const sorted = [...versions].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
      const vs = sorted.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions: vs, preferredVersion: vs[0] };
    });
  }

  // ---- routing ---------------------------------------------------------------------------

  private route(path: string): Route | undefined {
    const parts = path.split('/').filter((x) => x !== '');
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      group = '';
      version = parts[1];
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1];
      version = parts[2];
      rest = parts.slice(3);
    } else return undefined;
    let watch = false;
    if (rest[0] === 'watch') {
      watch = true;
      rest = rest.slice(1);
    }
    const store = this.h.store;
    const find = (plural: string) => store.typeByPlural(group, version, plural);
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const t = find(rest[2]);
      if (t && t.namespaced) return { type: t, namespace: rest[1], name: rest[3], subresource: rest[4], watch };
    }
    if (rest.length === 0) return undefined;
    const t = find(rest[0]);
    if (!t) return undefined;
    return { type: t, name: rest[1], subresource: rest[2], watch };
  }

  // ---- resources -------------------------------------------------------------------------

  private async resource(route: Route, method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const store = this.h.store;
    const q = url.searchParams;
    const t = route.type;
    const dryRun = q.get('dryRun') === 'All';
    const ns = t.namespaced ? route.namespace : undefined;
    if (route.subresource && !['status', 'scale', 'log'].includes(route.subresource)) throw pageNotFound();
    if (route.subresource === 'log' && !(t.kind === 'Pod' && t.group === '')) throw pageNotFound();
    if (route.subresource === 'status' && !t.status && !(t.kind === 'Namespace')) throw pageNotFound();
    if (route.subresource === 'scale' && !t.scale) throw pageNotFound();

    if (!route.name) {
      const watch = route.watch || q.get('watch') === '1' || q.get('watch') === 'true';
      if (method === 'GET' && watch) return this.watch(t, ns, q, req, res);
      if (method === 'GET') {
        const list = this.list(t, ns, q);
        // kubectl get asks for server-side printing; serve its columns.
        if (wantsTable(req.headers.accept)) return send(res, 200, toTable(t.group, t.kind, list.items as Obj[], list.metadata as Obj));
        return send(res, 200, list);
      }
      if (method === 'POST') {
        const body = parseJson(await readBody(req)) as Obj;
        const out = store.create(t, ns ?? (t.namespaced ? 'default' : undefined), body, { manager: q.get('fieldManager') ?? defaultManager(req), dryRun });
        return send(res, 201, out);
      }
      if (method === 'DELETE') {
        const items = this.list(t, ns, q).items as Obj[];
        for (const it of items) {
          const s = store.get(t, it.metadata.namespace, it.metadata.name);
          if (s) store.delete(s, { propagationPolicy: q.get('propagationPolicy') ?? undefined }, { manager: defaultManager(req), dryRun });
        }
        return send(res, 200, { kind: `${t.kind}List`, apiVersion: groupVersion(t), metadata: { resourceVersion: String(store.resourceVersion) }, items });
      }
      throw methodNotAllowed();
    }

    const name = route.name;
    if (route.subresource === 'log') {
      if (method !== 'GET') throw methodNotAllowed();
      return this.podLog(ns ?? 'default', name, q, req, res);
    }
    if (route.subresource === 'scale') return this.scale(t, ns, name, method, req, res, q);
    const part = route.subresource === 'status' ? 'status' : 'main';
    const manager = q.get('fieldManager') ?? defaultManager(req);
    switch (method) {
      case 'GET': {
        const obj = store.view(store.mustGet(t, ns, name), t);
        if (part === 'main' && wantsTable(req.headers.accept)) return send(res, 200, toTable(t.group, t.kind, [obj], { resourceVersion: obj.metadata.resourceVersion }));
        return send(res, 200, obj);
      }
      case 'PUT': {
        const raw = parseJson(await readBody(req));
        if (!isObject(raw)) throw badRequest('the body of the request must be a JSON object');
        const body = raw as Obj;
        const s = store.mustGet(t, ns, name);
        const rv = body.metadata?.resourceVersion;
        if (rv !== undefined && rv !== '' && rv !== s.obj.metadata.resourceVersion) {
          throw conflict(t.plural, t.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
        }
        const out = store.write(s, body, part, { manager, dryRun });
        this.afterCrdWrite(s);
        return send(res, 200, out);
      }
      case 'PATCH':
        return this.patch(t, ns, name, part, q, req, res);
      case 'DELETE': {
        const s = store.mustGet(t, ns, name);
        const text = await readBody(req);
        const body = text.trim() ? (parseJson(text) as Obj) : {};
        const policy = q.get('propagationPolicy') ?? body.propagationPolicy ?? (body.orphanDependents === true ? 'Orphan' : undefined);
        if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
          throw invalid('DeleteOptions', 'meta.k8s.io', '', [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`, field: 'propagationPolicy' }]);
        }
        const uid = s.obj.metadata.uid;
        const out = store.delete(s, { propagationPolicy: policy, preconditions: body.preconditions }, { manager, dryRun });
        if (out) return send(res, 200, out);
        return send(res, 200, success(t.plural, t.group, name, uid));
      }
      default:
        throw methodNotAllowed();
    }
  }

  private afterCrdWrite(_s: Stored): void {
    // CRD registration is handled by the controller hooks (see double.ts) on store events.
  }

  private list(t: ResourceType, ns: string | undefined, q: URLSearchParams): Obj {
    const store = this.h.store;
    const labels = parseLabelSelector(q.get('labelSelector'));
    const fields = parseFieldSelector(q.get('fieldSelector'));
    let items = store
      .list(t, ns)
      .filter((s) => labels(s.obj.metadata.labels ?? {}) && fields(s.obj))
      .map((s) => store.view(s, t));
    const limit = Number(q.get('limit') ?? 0);
    const cont = q.get('continue');
    const metadata: Obj = { resourceVersion: String(store.resourceVersion) };
    if (cont) {
      let after: string;
      try {
        after = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')).start;
      } catch {
        throw badRequest('continue key is not valid: illegal base64 data');
      }
      items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after);
    }
    if (limit > 0 && items.length > limit) {
      items = items.slice(0, limit);
      const last = items[items.length - 1];
      metadata.continue = Buffer.from(JSON.stringify({ rv: store.resourceVersion, start: `${last.metadata.namespace ?? ''}/${last.metadata.name}` })).toString('base64url');
      metadata.remainingItemCount = undefined;
    }
    return { kind: `${t.kind}List`, apiVersion: groupVersion(t), metadata, items };
  }

  private async patch(t: ResourceType, ns: string | undefined, name: string, part: 'main' | 'status', q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const store = this.h.store;
    const ct = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    const accepted = t.custom ? PATCH_TYPES.filter((x) => x !== 'application/strategic-merge-patch+json') : PATCH_TYPES;
    if (!accepted.includes(ct)) throw unsupportedMediaType(accepted);
    const text = await readBody(req);
    const dryRun = q.get('dryRun') === 'All';
    const manager = q.get('fieldManager') ?? defaultManager(req);
    const existing = store.get(t, ns, name);
    if (ct === 'application/apply-patch+yaml') {
      const fm = q.get('fieldManager');
      if (!fm) {
        throw invalid('PatchOptions', 'meta.k8s.io', '', [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }]);
      }
      let config: unknown;
      try {
        config = parseYaml(text);
      } catch (e) {
        throw badRequest(`error decoding YAML: ${(e as Error).message}`);
      }
      if (!isObject(config)) throw badRequest('the apply configuration must be an object');
      if (config.apiVersion !== groupVersion(t) || config.kind !== t.kind) {
        throw badRequest(`invalid object type: ${String(config.apiVersion)}, Kind=${String(config.kind)}; expected ${groupVersion(t)}, Kind=${t.kind}`);
      }
      const meta = isObject(config.metadata) ? config.metadata : {};
      if (meta.name !== undefined && meta.name !== name) throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
      if (meta.managedFields !== undefined) {
        throw badRequest('metadata.managedFields must be nil');
      }
      // A resourceVersion in the apply configuration is a precondition, as on the real server.
      if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') {
        if (!existing) throw notFound(t.plural, t.group, name);
        if (meta.resourceVersion !== existing.obj.metadata.resourceVersion) {
          throw conflict(t.plural, t.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
        }
      }
      const force = q.get('force') === 'true';
      const applyConfig = clone(config) as Obj;
      if (part === 'main') delete applyConfig.status;
      if (isObject(applyConfig.metadata)) delete applyConfig.metadata.resourceVersion;
      const live = existing ? clone(existing.obj) : undefined;
      const result = serverSideApply({
        live,
        config: applyConfig,
        managers: existing?.managers ?? new Map(),
        manager: fm,
        apiVersion: groupVersion(t),
        force,
        custom: !!t.custom,
        now: nowRfc3339(),
        part,
      });
      if (!existing) {
        if (part === 'status') throw notFound(t.plural, t.group, name);
        const body = result.object;
        body.metadata = { ...(body.metadata ?? {}), name };
        const out = store.create(t, ns, body, { manager: fm, dryRun }, result.managers);
        return send(res, 201, out);
      }
      const out = store.write(existing, result.object, part, { manager: fm, dryRun }, result.managers);
      return send(res, 200, out);
    }
    if (!existing) throw notFound(t.plural, t.group, name);
    const body = parseJson(text);
    const current = clone(existing.obj) as Json;
    let next: Json;
    if (ct === 'application/json-patch+json') next = jsonPatch(current, body);
    else if (ct === 'application/merge-patch+json') next = mergePatch(current, body as Json);
    else next = strategicMergePatch(current, body as Json);
    if (!isObject(next)) throw badRequest('the patch produced something that is not an object');
    const rv = (next.metadata as unknown as Obj | undefined)?.resourceVersion;
    if (rv !== undefined && rv !== existing.obj.metadata.resourceVersion) {
      throw conflict(t.plural, t.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const out = store.write(existing, next as Obj, part, { manager, dryRun });
    send(res, 200, out);
  }

  private async scale(t: ResourceType, ns: string | undefined, name: string, method: string, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
    const store = this.h.store;
    const s = store.mustGet(t, ns, name);
    const view = (o: Obj) => ({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name, namespace: ns, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 1 },
      status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') },
    });
    if (method === 'GET') return send(res, 200, view(s.obj));
    if (method !== 'PUT' && method !== 'PATCH') throw methodNotAllowed();
    const body = parseJson(await readBody(req)) as Obj;
    const replicas = method === 'PUT' ? body?.spec?.replicas : (mergePatch({ spec: { replicas: s.obj.spec?.replicas ?? 1 } }, body as Json) as Obj).spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Scale', 'autoscaling', name, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }]);
    }
    const next = clone(s.obj);
    next.spec = { ...(next.spec ?? {}), replicas };
    const out = store.write(s, next, 'main', { manager: q.get('fieldManager') ?? defaultManager(req), dryRun: q.get('dryRun') === 'All' });
    send(res, 200, view(out));
  }

  // ---- watch -----------------------------------------------------------------------------

  private watch(t: ResourceType, ns: string | undefined, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    const store = this.h.store;
    const labels = parseLabelSelector(q.get('labelSelector'));
    const fields = parseFieldSelector(q.get('fieldSelector'));
    const tk = `${t.group}/${t.plural}`;
    const matches = (o: Obj | undefined) => !!o && (ns === undefined || !t.namespaced || o.metadata.namespace === ns) && labels(o.metadata.labels ?? {}) && fields(o);
    const rvParam = q.get('resourceVersion');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const write = (type: string, object: Obj) => res.write(JSON.stringify({ type, object }) + '\n');
    const view = (o: Obj) => store.view({ type: t, obj: o, managers: new Map() }, t);
    const deliver = (ev: StoreEvent) => {
      if (ev.typeKey !== tk) return;
      const now = matches(ev.obj);
      const before = ev.type === 'MODIFIED' ? matches(ev.prev) : now;
      const full = (o: Obj) => {
        const s = store.get(t, o.metadata.namespace, o.metadata.name);
        return s && s.obj === o ? store.view(s, t) : view(o);
      };
      if (ev.type === 'MODIFIED' && before && !now) write('DELETED', full(ev.obj));
      else if (ev.type === 'MODIFIED' && !before && now) write('ADDED', full(ev.obj));
      else if (now) write(ev.type, full(ev.obj));
    };
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      this.openWatches.delete(stop);
      res.end();
    };
    const unsubscribe = store.subscribe(deliver);
    this.openWatches.add(stop);
    req.on('close', stop);
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    const timer = setTimeout(stop, timeout > 0 ? timeout * 1000 : 30 * 60 * 1000);
    if (!rvParam || rvParam === '0') {
      for (const s of store.list(t, ns)) if (matches(s.obj)) write('ADDED', store.view(s, t));
    } else {
      const rv = Number(rvParam);
      if (!Number.isInteger(rv) || rv < 0) {
        stop();
        return;
      }
      if (rv < store.oldestWatchable) {
        write('ERROR', gone(`too old resource version: ${rv} (${store.oldestWatchable + 1})`).status as unknown as Obj);
        stop();
        return;
      }
      for (const ev of store.eventsSince(rv)) deliver(ev);
    }
    if (q.get('allowWatchBookmarks') === 'true') {
      write('BOOKMARK', { kind: t.kind, apiVersion: groupVersion(t), metadata: { resourceVersion: String(store.resourceVersion) } });
    }
  }

  // ---- pods/log --------------------------------------------------------------------------

  private podLog(ns: string, name: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    const store = this.h.store;
    const podType = store.typeFor('v1', 'Pod')!;
    const pod = store.mustGet(podType, ns, name).obj;
    const containers: string[] = (pod.spec?.containers ?? []).map((c: Obj) => c.name);
    let container = q.get('container') ?? '';
    if (!container) {
      if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
      container = containers[0];
    }
    if (!containers.includes(container) && !(pod.spec?.initContainers ?? []).some((c: Obj) => c.name === container)) {
      throw badRequest(`container ${container} is not valid for pod ${name}`);
    }
    const tail = q.has('tailLines') ? Number(q.get('tailLines')) : undefined;
    const follow = q.get('follow') === 'true' || q.get('follow') === '1';
    const initial = this.h.podLog(ns, name, container);
    if (!initial && pod.status?.phase === 'Pending') {
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    let sent = 0;
    const lines = initial?.lines ?? [];
    const start = tail !== undefined ? Math.max(0, lines.length - tail) : 0;
    for (let i = start; i < lines.length; i++) res.write(lines[i] + '\n');
    sent = lines.length;
    if (!follow || initial?.done) {
      res.end();
      return;
    }
    const off = this.h.onPodLogAppend(() => {
      const cur = this.h.podLog(ns, name, container);
      if (!cur) return;
      for (let i = sent; i < cur.lines.length; i++) res.write(cur.lines[i] + '\n');
      sent = cur.lines.length;
      if (cur.done) finish();
    });
    const finish = () => {
      off();
      this.openWatches.delete(finish);
      res.end();
    };
    this.openWatches.add(finish);
    req.on('close', finish);
  }
}
