import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { registerCommonCrds, startKubeApiDouble, type KubeApiDouble } from '../src/index.js';

let d: KubeApiDouble;

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const r = await fetch(d.url + path, {
    method,
    headers: { 'content-type': contentType, 'user-agent': 'kubectl/v1.31.0 (linux/amd64)' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, body: json };
}

/** Poll a condition (timing on a shared machine varies; assertions follow once it holds). */
async function until(cond: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const apply = (path: string, obj: unknown, manager: string, force = false) => call('PATCH', `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`, obj, 'application/apply-patch+yaml');

function dep(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] } },
      ...extra,
    },
  };
}

const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

beforeAll(async () => {
  d = await startKubeApiDouble({ gcDelayMs: 5, namespaceTerminationMs: 300 });
});
afterAll(async () => {
  await d.close();
});

describe('discovery', () => {
  it('serves /api, /apis and resource lists with scope, verbs and subresources', async () => {
    expect((await call('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await call('GET', '/apis')).body;
    expect(groups.kind).toBe('APIGroupList');
    const names = groups.groups.map((g: any) => g.name);
    for (const g of ['apps', 'batch', 'networking.k8s.io', 'autoscaling', 'rbac.authorization.k8s.io', 'apiextensions.k8s.io']) expect(names).toContain(g);
    expect(groups.groups.find((g: any) => g.name === 'autoscaling').preferredVersion.version).toBe('v2');
    const core = (await call('GET', '/api/v1')).body;
    const byName = Object.fromEntries(core.resources.map((r: any) => [r.name, r]));
    expect(byName.namespaces.namespaced).toBe(false);
    expect(byName.pods).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'] });
    expect(byName['pods/log'].verbs).toEqual(['get']);
    for (const k of ['configmaps', 'secrets', 'services', 'serviceaccounts', 'persistentvolumeclaims', 'events']) expect(byName[k]).toBeDefined();
    const apps = (await call('GET', '/apis/apps/v1')).body;
    expect(apps.resources.find((r: any) => r.name === 'deployments').verbs).toContain('watch');
    expect(apps.resources.find((r: any) => r.name === 'deployments/scale')).toMatchObject({ kind: 'Scale', group: 'autoscaling' });
    expect((await call('GET', '/apis/nope.io/v1')).status).toBe(404);
  });

  it('adds CRDs at run time (Flux, Gateway API) and serves their objects', async () => {
    registerCommonCrds(d);
    await new Promise((r) => setTimeout(r, 10));
    const gw = (await call('GET', '/apis/gateway.networking.k8s.io/v1')).body;
    expect(gw.resources.map((r: any) => r.name)).toContain('httproutes');
    const hr = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'redis', namespace: 'default' }, spec: { interval: '5m', values: { a: [1, 2] } } };
    expect((await apply('/apis/helm.toolkit.fluxcd.io/v2/namespaces/default/helmreleases/redis', hr, 'sreworks')).status).toBe(201);
    // Custom resources refuse strategic merge patch like the real server.
    const smp = await call('PATCH', '/apis/helm.toolkit.fluxcd.io/v2/namespaces/default/helmreleases/redis', { spec: {} }, 'application/strategic-merge-patch+json');
    expect(smp.status).toBe(415);
    const crd = (await call('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/helmreleases.helm.toolkit.fluxcd.io')).body;
    expect(crd.status.conditions.find((c: any) => c.type === 'Established').status).toBe('True');
  });

  it('works with @kubernetes/client-node through the generated kubeconfig', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(d.kubeconfig());
    const api = KubernetesObjectApi.makeApiClient(kc);
    await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-client', namespace: 'default' }, data: { x: '1' } } as any);
    const list = await api.list('v1', 'ConfigMap', 'default');
    expect(list.items.map((i) => i.metadata?.name)).toContain('from-client');
  });
});

describe('errors shaped as Kubernetes returns them', () => {
  it('404, 409 AlreadyExists, 409 Conflict on stale resourceVersion, 422 Invalid', async () => {
    expect((await call('GET', `${DEPLOYS}/nope`)).body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "nope" not found', reason: 'NotFound', details: { name: 'nope', group: 'apps', kind: 'deployments' }, code: 404 });
    expect((await call('GET', '/api/v1/namespaces/default/pods/nope')).body.details).toEqual({ name: 'nope', kind: 'pods' });
    await call('POST', DEPLOYS, dep('e1'));
    expect((await call('POST', DEPLOYS, dep('e1'))).body).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'deployments.apps "e1" already exists' });
    const cur = (await call('GET', `${DEPLOYS}/e1`)).body;
    await call('PUT', `${DEPLOYS}/e1`, { ...cur, spec: { ...cur.spec, replicas: 2 } });
    const stale = await call('PUT', `${DEPLOYS}/e1`, { ...cur, spec: { ...cur.spec, replicas: 3 } });
    expect(stale.body).toMatchObject({ code: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled on deployments.apps "e1": the object has been modified; please apply your changes to the latest version and try again' });
    const bad = await call('POST', DEPLOYS, { ...dep('bad'), metadata: { name: 'Bad.Name_' } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/^Deployment\.apps "Bad\.Name_" is invalid: metadata\.name: Invalid value: "Bad\.Name_": a lowercase RFC 1123 subdomain must consist of/);
    expect(bad.body.details).toMatchObject({ name: 'Bad.Name_', group: 'apps', kind: 'Deployment', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] });
    expect((await call('POST', '/api/v1/namespaces/nowhere/configmaps', { metadata: { name: 'x' } })).body).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
    expect((await call('POST', DEPLOYS, '{not json')).status).toBe(400);
  });
});

describe('server-side apply', () => {
  const path = `${DEPLOYS}/ssa`;
  it('tracks managedFields per manager and words conflicts as the real server', async () => {
    const created = await apply(path, dep('ssa'), 'sreworks');
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'sreworks', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: expect.objectContaining({ 'f:spec': expect.objectContaining({ 'f:replicas': {} }) }) }),
    ]);
    const containers = created.body.metadata.managedFields[0].fieldsV1['f:spec']['f:template']['f:spec']['f:containers'];
    expect(Object.keys(containers)).toEqual(['k:{"name":"main"}']);
    // kubectl scales with a merge patch: it now owns spec.replicas (operation Update).
    await call('PATCH', path, { spec: { replicas: 4 } }, 'application/merge-patch+json');
    const conflict = await apply(path, dep('ssa'), 'sreworks');
    expect(conflict.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl" using apps/v1', field: '.spec.replicas' }] },
      code: 409,
    });
    // Two conflicts from one manager are listed under it.
    await apply(path, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa', labels: { app: 'other' } } }, 'helm', true);
    const two = await apply(path, dep('ssa', { replicas: 1 }), 'sreworks');
    expect(two.body.message).toBe('Apply failed with 2 conflicts: conflicts with "helm":\n- .metadata.labels.app\nconflicts with "kubectl" using apps/v1:\n- .spec.replicas');
    // Same value as the other owner: shared ownership, no conflict.
    const same = await apply(path, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa' }, spec: { replicas: 4 } }, 'tool-b');
    expect(same.status).toBe(200);
    // force takes the fields over.
    const forced = await apply(path, dep('ssa'), 'sreworks', true);
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(1);
    expect(forced.body.metadata.labels.app).toBe('ssa');
    expect(forced.body.metadata.managedFields.map((m: any) => m.manager)).not.toContain('helm');
  });

  it('removes fields a manager stops applying, keeps those others own', async () => {
    const p = `${DEPLOYS}/prune`;
    const withExtra = dep('prune');
    (withExtra.metadata.labels as any).tier = 'web';
    (withExtra.spec.template.spec.containers as any).push({ name: 'sidecar', image: 'envoy:1' });
    await apply(p, withExtra, 'sreworks');
    await apply(p, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'prune', annotations: { note: 'x' } } }, 'other');
    const after = (await apply(p, dep('prune'), 'sreworks')).body;
    expect(after.metadata.labels).toEqual({ app: 'prune' });
    expect(after.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main']);
    expect(after.metadata.annotations).toEqual({ note: 'x' });
  });

  it('bumps generation on spec changes only and skips no-op writes', async () => {
    const p = `${DEPLOYS}/gen`;
    const a = (await apply(p, dep('gen'), 'sreworks')).body;
    expect(a.metadata.generation).toBe(1);
    const b = (await apply(p, dep('gen'), 'sreworks')).body;
    expect(b.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    const labelled = dep('gen');
    (labelled.metadata.labels as any).x = 'y';
    const c = (await apply(p, labelled, 'sreworks')).body;
    expect(c.metadata.generation).toBe(1);
    expect(Number(c.metadata.resourceVersion)).toBeGreaterThan(Number(b.metadata.resourceVersion));
    const e = (await apply(p, dep('gen', { replicas: 3 }), 'sreworks')).body;
    expect(e.metadata.generation).toBe(2);
  });

  it('applies to the status subresource under its own manager entry', async () => {
    await apply(`${DEPLOYS}/st`, dep('st'), 'sreworks');
    const res = await apply(`${DEPLOYS}/st/status`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'st' }, status: { observedGeneration: 1, readyReplicas: 1 } }, 'my-controller');
    expect(res.body.status).toEqual({ observedGeneration: 1, readyReplicas: 1 });
    expect(res.body.metadata.managedFields.find((m: any) => m.manager === 'my-controller')).toMatchObject({ operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': { 'f:observedGeneration': {}, 'f:readyReplicas': {} } } });
    expect(res.body.spec.replicas).toBe(1);
    // Applying the main resource leaves status alone.
    const again = await apply(`${DEPLOYS}/st`, dep('st', { replicas: 2 }), 'sreworks');
    expect(again.body.status).toEqual({ observedGeneration: 1, readyReplicas: 1 });
  });

  it('requires a field manager and matching kind; honours dryRun', async () => {
    expect((await call('PATCH', `${DEPLOYS}/x`, dep('x'), 'application/apply-patch+yaml')).status).toBe(422);
    expect((await apply(`${DEPLOYS}/x`, { ...dep('x'), kind: 'StatefulSet' }, 'm')).status).toBe(400);
    const dry = await call('PATCH', `${DEPLOYS}/dry?fieldManager=m&dryRun=All`, dep('dry'), 'application/apply-patch+yaml');
    expect(dry.status).toBe(201);
    expect((await call('GET', `${DEPLOYS}/dry`)).status).toBe(404);
    // YAML bodies work too.
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml-cm\ndata:\n  k: v\n';
    expect((await call('PATCH', '/api/v1/namespaces/default/configmaps/yaml-cm?fieldManager=m', yaml, 'application/apply-patch+yaml')).body.data).toEqual({ k: 'v' });
  });
});

describe('classic patches', () => {
  it('strategic merge merges containers and env by name and honours $patch: delete', async () => {
    const p = `${DEPLOYS}/smp`;
    await call('POST', DEPLOYS, dep('smp'));
    const patched = await call(
      'PATCH',
      p,
      { spec: { template: { spec: { containers: [{ name: 'main', env: [{ name: 'B', value: '2' }] }, { name: 'side', image: 'busybox' }] } } } },
      'application/strategic-merge-patch+json',
    );
    const cs = patched.body.spec.template.spec.containers;
    expect(cs.map((c: any) => c.name)).toEqual(['main', 'side']);
    expect(cs[0].image).toBe('nginx:1');
    expect(cs[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    const del = await call('PATCH', p, { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }, 'application/strategic-merge-patch+json');
    expect(del.body.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main']);
  });

  it('JSON merge patch replaces lists and deletes with null; JSON patch applies ops', async () => {
    const p = `${DEPLOYS}/mp`;
    await call('POST', DEPLOYS, dep('mp'));
    const merged = await call('PATCH', p, { metadata: { labels: { app: null, b: 'c' } }, spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }] } } } }, 'application/merge-patch+json');
    expect(merged.body.metadata.labels).toEqual({ b: 'c' });
    expect(merged.body.spec.template.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
    const jp = await call('PATCH', p, [{ op: 'replace', path: '/spec/replicas', value: 5 }, { op: 'add', path: '/metadata/labels/z', value: 'q' }], 'application/json-patch+json');
    expect(jp.body.spec.replicas).toBe(5);
    expect(jp.body.metadata.labels.z).toBe('q');
    expect((await call('PATCH', p, [{ op: 'test', path: '/spec/replicas', value: 1 }], 'application/json-patch+json')).status).toBe(400);
    expect((await call('PATCH', p, {}, 'text/plain')).status).toBe(415);
  });
});

describe('list and watch', () => {
  it('filters by label (equality and set-based) and field selectors, pages with limit/continue', async () => {
    for (const [n, tier] of [['l1', 'web'], ['l2', 'db'], ['l3', 'web']]) {
      await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: n, labels: { tier, list: 'yes' } } });
    }
    const names = async (q: string) => (await call('GET', `/api/v1/namespaces/default/configmaps?${q}`)).body.items.map((i: any) => i.metadata.name);
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['l1', 'l3']);
    expect(await names('labelSelector=list,tier%20notin%20(web)')).toEqual(['l2']);
    expect(await names('labelSelector=list,tier!%3Dweb')).toEqual(['l2']);
    expect(await names('fieldSelector=metadata.name%3Dl3')).toEqual(['l3']);
    const page1 = (await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=list&limit=2')).body;
    expect(page1.items).toHaveLength(2);
    const page2 = (await call('GET', `/api/v1/namespaces/default/configmaps?labelSelector=list&limit=2&continue=${page1.metadata.continue}`)).body;
    expect(page2.items.map((i: any) => i.metadata.name)).toEqual(['l3']);
    expect(Number(page1.metadata.resourceVersion)).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/configmaps')).body.items.length).toBeGreaterThan(3);
  });

  it('streams events from a resourceVersion, follows selectors, answers 410 when too old', async () => {
    const start = (await call('GET', '/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion;
    const ac = new AbortController();
    const events: Array<{ type: string; name: string }> = [];
    const res = await fetch(`${d.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${start}&labelSelector=w%3Dyes`, { signal: ac.signal });
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const reader = res.body!.getReader();
    const pump = (async () => {
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        buf += new TextDecoder().decode(value);
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, i));
          buf = buf.slice(i + 1);
          events.push({ type: ev.type, name: ev.object.metadata.name });
        }
      }
    })();
    await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'w1', labels: { w: 'yes' } } });
    await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'w2', labels: { w: 'no' } } });
    await call('PATCH', '/api/v1/namespaces/default/configmaps/w2', { metadata: { labels: { w: 'yes' } } }, 'application/merge-patch+json');
    await call('PATCH', '/api/v1/namespaces/default/configmaps/w1', { metadata: { labels: { w: 'no' } } }, 'application/merge-patch+json');
    await call('DELETE', '/api/v1/namespaces/default/configmaps/w2');
    await until(async () => events.length >= 4);
    ac.abort();
    await pump;
    expect(events).toEqual([
      { type: 'ADDED', name: 'w1' },
      { type: 'ADDED', name: 'w2' },
      { type: 'DELETED', name: 'w1' },
      { type: 'DELETED', name: 'w2' },
    ]);
    d.compact();
    const gone = await fetch(`${d.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`);
    const line = JSON.parse((await gone.text()).trim());
    expect(line).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/) } });
  });
});

describe('delete and owner references', () => {
  const cm = (name: string, owner?: any) => ({ metadata: { name, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid }] } : {}) } });
  const CMS = '/api/v1/namespaces/default/configmaps';
  it('background deletes dependents after the owner; orphan strips their owner reference', async () => {
    const owner = (await call('POST', CMS, cm('bg-owner'))).body;
    await call('POST', CMS, cm('bg-child', owner));
    const res = await call('DELETE', `${CMS}/bg-owner`);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'bg-owner', kind: 'configmaps', uid: owner.metadata.uid } });
    await new Promise((r) => setTimeout(r, 30));
    expect((await call('GET', `${CMS}/bg-child`)).status).toBe(404);
    const o2 = (await call('POST', CMS, cm('or-owner'))).body;
    await call('POST', CMS, cm('or-child', o2));
    await call('DELETE', `${CMS}/or-owner?propagationPolicy=Orphan`);
    await new Promise((r) => setTimeout(r, 30));
    const child = (await call('GET', `${CMS}/or-child`)).body;
    expect(child.metadata.ownerReferences).toBeUndefined();
  });

  it('foreground keeps the owner (with deletionTimestamp) until dependents are gone; finalizers block', async () => {
    const owner = (await call('POST', CMS, cm('fg-owner'))).body;
    await call('POST', CMS, { ...cm('fg-child', owner), metadata: { ...cm('fg-child', owner).metadata, finalizers: ['example.com/hold'] } });
    const res = await call('DELETE', `${CMS}/fg-owner`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
    expect(res.body.metadata.deletionTimestamp).toBeDefined();
    expect(res.body.metadata.finalizers).toContain('foregroundDeletion');
    await new Promise((r) => setTimeout(r, 30));
    expect((await call('GET', `${CMS}/fg-owner`)).status).toBe(200);
    // Releasing the child's finalizer lets the chain finish.
    await call('PATCH', `${CMS}/fg-child`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    await new Promise((r) => setTimeout(r, 40));
    expect((await call('GET', `${CMS}/fg-child`)).status).toBe(404);
    expect((await call('GET', `${CMS}/fg-owner`)).status).toBe(404);
    expect((await call('DELETE', `${CMS}/x?propagationPolicy=Sideways`)).status).toBe(404);
  });

  it('deleting a namespace removes its contents and refuses new content meanwhile', async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await call('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'a' } });
    const res = await call('DELETE', '/api/v1/namespaces/doomed');
    expect(res.body.status.phase).toBe('Terminating');
    const refused = await call('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'b' } });
    expect(refused.body).toMatchObject({ code: 403, reason: 'Forbidden' });
    await new Promise((r) => setTimeout(r, 400));
    expect((await call('GET', '/api/v1/namespaces/doomed/configmaps/a')).status).toBe(404);
    expect((await call('GET', '/api/v1/namespaces/doomed')).status).toBe(404);
  });
});

describe('controller simulation and faults', () => {
  it('rolls out Deployments, StatefulSets and DaemonSets after a delay, with ReplicaSets and Pods', async () => {
    // Long enough that the early check cannot miss the progressing phase on a loaded machine.
    d.controllers.enable({ readyAfterMs: 1000, jobAfterMs: 20, pvcBindAfterMs: 10 });
    try {
      await apply(`${DEPLOYS}/sim`, dep('sim', { replicas: 2 }), 'sreworks');
      await until(async () => (await call('GET', `${DEPLOYS}/sim`)).body.status?.observedGeneration === 1);
      const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres' }] } } } };
      await apply('/apis/apps/v1/namespaces/default/statefulsets/db', sts, 'sreworks');
      const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'fluentbit' }] } } } };
      await apply('/apis/apps/v1/namespaces/default/daemonsets/agent', ds, 'sreworks');
      const early = (await call('GET', `${DEPLOYS}/sim`)).body.status;
      expect(early).toMatchObject({ observedGeneration: 1, updatedReplicas: 0 });
      await until(async () => (await call('GET', '/apis/apps/v1/namespaces/default/daemonsets/agent')).body.status?.numberReady === 1);
      expect((await call('GET', `${DEPLOYS}/sim`)).body.status).toMatchObject({ observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 });
      expect((await call('GET', '/apis/apps/v1/namespaces/default/statefulsets/db')).body.status).toMatchObject({ readyReplicas: 2, currentRevision: 'rev-1', updateRevision: 'rev-1' });
      expect((await call('GET', '/apis/apps/v1/namespaces/default/daemonsets/agent')).body.status).toMatchObject({ numberReady: 1, desiredNumberScheduled: 1 });
      const pods = (await call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dsim')).body.items;
      expect(pods).toHaveLength(2);
      expect(pods[0].metadata.ownerReferences[0].kind).toBe('ReplicaSet');
      expect((await call('GET', '/api/v1/namespaces/default/pods/db-0')).body.status.phase).toBe('Running');
      // Deleting the Deployment collects its ReplicaSet and Pods.
      await call('DELETE', `${DEPLOYS}/sim`);
      await new Promise((r) => setTimeout(r, 40));
      expect((await call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dsim')).body.items).toHaveLength(0);
    } finally {
      d.controllers.disable();
    }
  });

  it('runs Jobs to completion with pod logs, binds PVCs, assigns cluster IPs, injects faults', async () => {
    d.controllers.enable({ readyAfterMs: 20, jobAfterMs: 20, pvcBindAfterMs: 10 });
    try {
      const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'hello' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
      await call('POST', '/apis/batch/v1/namespaces/default/jobs', job);
      const claim = await call('POST', '/api/v1/namespaces/default/persistentvolumeclaims', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
      expect(claim.body.status.phase).toBe('Pending');
      const svc = await call('POST', '/api/v1/namespaces/default/services', { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
      expect(svc.body.spec.clusterIP).toMatch(/^10\.96\./);
      await until(async () => (await call('GET', '/apis/batch/v1/namespaces/default/jobs/hello')).body.status?.completionTime !== undefined);
      await until(async () => (await call('GET', '/api/v1/namespaces/default/persistentvolumeclaims/data')).body.status?.phase === 'Bound');
      const j = (await call('GET', '/apis/batch/v1/namespaces/default/jobs/hello')).body;
      expect(j.status.conditions.find((c: any) => c.type === 'Complete').status).toBe('True');
      const pod = (await call('GET', '/api/v1/namespaces/default/pods?labelSelector=job-name%3Dhello')).body.items[0];
      const log = await call('GET', `/api/v1/namespaces/default/pods/${pod.metadata.name}/log?container=c`);
      expect(log.body).toBe('job hello ran\n');
      expect((await call('GET', '/api/v1/namespaces/default/persistentvolumeclaims/data')).body.status.phase).toBe('Bound');
      const events = (await call('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dhello')).body.items;
      expect(events.map((e: any) => e.reason)).toEqual(expect.arrayContaining(['SuccessfulCreate', 'Completed']));
      expect(events[0].involvedObject).toMatchObject({ kind: 'Job', name: 'hello' });
      d.faults.failNext({ method: 'GET', pathIncludes: '/services/web' });
      expect((await call('GET', '/api/v1/namespaces/default/services/web')).body).toMatchObject({ code: 500, reason: 'InternalError' });
      expect((await call('GET', '/api/v1/namespaces/default/services/web')).status).toBe(200);
    } finally {
      d.controllers.disable();
    }
  });

  it('requires the bearer token when configured', async () => {
    const locked = await startKubeApiDouble({ token: 't0k3n' });
    try {
      expect((await fetch(`${locked.url}/api/v1/namespaces`)).status).toBe(401);
      expect((await fetch(`${locked.url}/api/v1/namespaces`, { headers: { authorization: 'Bearer t0k3n' } })).status).toBe(200);
      expect(locked.kubeconfig()).toContain('token: t0k3n');
    } finally {
      await locked.close();
    }
  });
});
