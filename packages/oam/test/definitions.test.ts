import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as tarCreate } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSandbox } from '@sreworks/sandbox';
import {
  createBuiltinRegistry,
  definitionFromDocument,
  DefinitionRuntime,
  importPlugin,
  importSreworksPluginDefinition,
  InMemoryDefinitionRegistry,
  jsonMergePatch,
  jsonPatch,
  strategicMerge,
  type Definition,
} from '../src/index.js';
import { fixturePath } from './fixtures.js';

let runtime: DefinitionRuntime;
beforeAll(async () => {
  runtime = new DefinitionRuntime({ sandbox: await loadSandbox() });
});
afterAll(() => runtime.dispose());

const doc = (name: string, version: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'core.oam.dev/v1beta1',
  kind: 'TraitDefinition',
  metadata: { name },
  spec: { version, schematic: { javascript: { template: 'export function render({parameter}) { return { patch: { spec: { replicas: parameter.n } } }; }', parameter: { type: 'object', properties: { n: { type: 'integer' } } } } }, ...extra },
});
const def = (name: string, version: string): Definition => definitionFromDocument(doc(name, version), { document: `${name}.yaml`, source: 'test' });

describe('definition documents', () => {
  it('decodes the KubeVela shape with a javascript schematic', () => {
    const d = definitionFromDocument(doc('t', '1.2.3', { stage: 'PostDispatch', appliesToWorkloads: ['deployments.apps'] }), { document: 't.yaml', source: 'test' });
    expect(d).toMatchObject({ kind: 'trait', name: 't', version: '1.2.3', stage: 'post', appliesToWorkloads: ['deployments.apps'], disabled: false });
  });
  it('refuses a non-semver version and a trait without template, naming the field', () => {
    expect(() => definitionFromDocument(doc('t', 'latest'), { document: 't.yaml', source: 'x' })).toThrow(/spec\.version: a semver version/);
    const noTpl = doc('t', '1.0.0');
    delete (noTpl.spec.schematic.javascript as any).template;
    try {
      definitionFromDocument(noTpl, { document: 't.yaml', source: 'x' });
      expect.unreachable();
    } catch (e: any) {
      expect(e.details.field).toBe('spec.schematic.javascript.template');
    }
  });
});

describe('InMemoryDefinitionRegistry', () => {
  it('resolves the latest enabled version, pins exact versions and ranges, keeps a history of changes', async () => {
    const r = new InMemoryDefinitionRegistry(() => new Date('2026-01-01T00:00:00Z'));
    await r.put(def('scaler', '1.0.0'));
    await r.put(def('scaler', '1.2.0'));
    await r.put(def('scaler', '2.0.0'));
    expect((await r.resolve('trait', 'scaler')).version).toBe('2.0.0');
    expect((await r.resolve('trait', 'scaler', '1.0.0')).version).toBe('1.0.0');
    expect((await r.resolve('trait', 'scaler', '1')).version).toBe('1.2.0');
    expect((await r.resolve('trait', 'scaler', '^1.0.0')).version).toBe('1.2.0');
    await r.setDisabled('trait', 'scaler', '2.0.0', true);
    expect((await r.resolve('trait', 'scaler')).version).toBe('1.2.0');
    await expect(r.resolve('trait', 'scaler', '2.0.0')).rejects.toMatchObject({ code: 'OAM_DEF_DISABLED' });
    await expect(r.resolve('trait', 'scaler', '3')).rejects.toMatchObject({ code: 'OAM_DEF_NOT_FOUND' });
    await expect(r.resolve('trait', 'nope')).rejects.toMatchObject({ code: 'OAM_DEF_NOT_FOUND', status: 404 });
    await expect(r.put(def('scaler', '1.0.0'))).rejects.toMatchObject({ code: 'OAM_DEF_VERSION', status: 409 });
    expect((await r.put(def('scaler', '1.0.0'), { replace: true })).action).toBe('replace');
    expect((await r.history('trait', 'scaler')).map((c) => `${c.revision}:${c.action}:${c.version}`)).toEqual(['1:add:1.0.0', '2:upgrade:1.2.0', '3:upgrade:2.0.0', '4:disable:2.0.0', '5:replace:1.0.0']);
  });

  it('loads the built-ins: every definition the brief names, each compiling', () => {
    const r = createBuiltinRegistry();
    const want: [Definition['kind'], string[]][] = [
      ['component', ['webservice', 'worker', 'task', 'cron-task', 'daemon', 'statefulset', 'k8s-objects', 'ref-objects', 'helm', 'microservice', 'job']],
      ['trait', ['scaler', 'labels', 'annotations', 'env', 'expose', 'gateway', 'hpa', 'sidecar', 'init-container', 'storage', 'resource', 'affinity', 'command', 'container-image', 'json-patch', 'json-merge-patch', 'service']],
      ['policy', ['topology', 'override', 'garbage-collect', 'shared-resource', 'apply-once']],
      ['workflow-step', ['deploy', 'apply-component', 'suspend', 'notification', 'step-group']],
    ];
    for (const [kind, list] of want)
      for (const n of list) {
        const d = r.resolveSync(kind, n);
        runtime.check(d);
        if (kind === 'workflow-step') expect(d.step?.summary, n).toBeTruthy();
      }
  });
});

describe('DefinitionRuntime', () => {
  it('validates parameters with ajv, fills defaults, and names the field path', () => {
    const c = runtime.compile(createBuiltinRegistry().resolveSync('component', 'webservice'));
    const props: Record<string, unknown> = { image: 'x', ports: [{ port: 80 }] };
    c.validate(props, { document: 'a.yaml', component: 'web', base: 'spec.components[0].properties' });
    expect(props).toMatchObject({ exposeType: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', expose: false }] });
    try {
      c.validate({ ports: [{ port: 80, protocol: 'HTTP' }] }, { document: 'a.yaml', component: 'web', base: 'spec.components[0].properties' });
      expect.unreachable();
    } catch (e: any) {
      expect(e.code).toBe('OAM_RENDER_PARAMETER');
      expect(e.details).toMatchObject({ document: 'a.yaml', component: 'web' });
      expect(e.details.errors.map((x: any) => x.field)).toEqual(expect.arrayContaining(['spec.components[0].properties.image', 'spec.components[0].properties.ports[0].protocol']));
    }
  });
  it('refuses a broken schema, a template with a syntax error, and one without render', () => {
    const broken = { ...def('b', '1.0.0'), parameter: { type: 'nonsense' } };
    expect(() => runtime.compile(broken)).toThrow(/parameter schema is invalid/);
    expect(() => runtime.compile({ ...def('c', '1.0.0'), template: 'export function render( {' })).toThrow(/does not load.*syntax/);
    expect(() => runtime.compile({ ...def('d', '1.0.0'), template: 'export function other() {}' })).toThrow(/must export a function render/);
  });
  it('compiles a definition version once and reuses it', () => {
    const d = def('once', '1.0.0');
    expect(runtime.compile(d)).toBe(runtime.compile(d));
    expect(runtime.compile({ ...d, template: d.template + '\n// changed' })).not.toBe(runtime.compile(d));
  });
});

describe('patches', () => {
  const deploy = { spec: { template: { spec: { containers: [{ name: 'app', image: 'a', env: [{ name: 'A', value: '1' }] }, { name: 'side', image: 's' }] } } } };
  it('strategic merge: containers and env by name, $patch delete/replace, plain lists replaced', () => {
    const out = strategicMerge(deploy, { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }, { name: 'side', $patch: 'delete' }, { name: 'new', image: 'n' }] } } } });
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'a', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
      { name: 'new', image: 'n' },
    ]);
    const rep = strategicMerge(deploy, { spec: { template: { spec: { containers: [{ name: 'app', env: [{ $patch: 'replace' }, { name: 'C', value: '3' }] }] } } } });
    expect(rep.spec.template.spec.containers[0].env).toEqual([{ name: 'C', value: '3' }]);
    expect(strategicMerge({ args: ['a', 'b'] }, { args: ['c'] })).toEqual({ args: ['c'] });
    expect(strategicMerge({ m: { a: 1, b: 2 } }, { m: { $patch: 'replace', c: 3 } })).toEqual({ m: { c: 3 } });
    expect(strategicMerge({ list: [{ id: 1, v: 1 }] }, { list: [{ id: 1, v: 2 }] }, { list: 'id' })).toEqual({ list: [{ id: 1, v: 2 }] });
    expect(deploy.spec.template.spec.containers[0].env).toHaveLength(1); // input untouched
  });
  it('JSON merge patch follows RFC 7386', () => {
    expect(jsonMergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } })).toEqual({ a: 'z', c: { d: 'e' } });
    expect(jsonMergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(jsonMergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
  });
  it('JSON patch follows RFC 6902 and names the failing operation', () => {
    const d = { a: { b: [1, 2] } };
    expect(jsonPatch(d, [{ op: 'add', path: '/a/b/1', value: 9 }, { op: 'remove', path: '/a/b/0' }, { op: 'copy', from: '/a/b', path: '/c' }, { op: 'test', path: '/c', value: [9, 2] }])).toEqual({ a: { b: [9, 2] }, c: [9, 2] });
    expect(() => jsonPatch(d, [{ op: 'replace', path: '/a/x', value: 1 }], { field: 'ops' })).toThrow(/operation 0 \(replace \/a\/x\): path does not exist/);
    expect(() => jsonPatch(d, [{ op: 'test', path: '/a/b/0', value: 5 }])).toThrow(/test failed/);
  });
});

describe('plugins', () => {
  it('imports a .tgz of definitions with templates beside them and console forms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oam-plugin-'));
    mkdirSync(join(dir, 'definitions'));
    mkdirSync(join(dir, 'forms', 'canary'), { recursive: true });
    writeFileSync(
      join(dir, 'definitions', 'canary.yaml'),
      `apiVersion: core.oam.dev/v1beta1
kind: TraitDefinition
metadata: { name: canary }
spec:
  version: 0.3.0
  schematic:
    javascript:
      file: canary.js
      parameter: { type: object, properties: { weight: { type: integer } } }
`,
    );
    writeFileSync(join(dir, 'definitions', 'canary.js'), 'export function render({ parameter }) { return { patch: { metadata: { annotations: { weight: String(parameter.weight) } } } }; }');
    writeFileSync(join(dir, 'forms', 'canary', 'deploy.json'), JSON.stringify({ items: [{ name: 'weight', type: 'number' }] }));
    writeFileSync(join(dir, 'README.txt'), 'hello');
    const file = join(dir, 'canary.tgz');
    await tarCreate({ gzip: true, file, cwd: dir }, ['definitions', 'forms', 'README.txt']);
    const registry = new InMemoryDefinitionRegistry();
    const report = await importPlugin(readFileSync(file), registry, { runtime, name: 'canary.tgz' });
    expect(report.imported.map((i) => `${i.kind}/${i.name}@${i.version}`)).toEqual(['trait/canary@0.3.0']);
    expect(report.forms).toEqual([{ definition: 'canary', form: 'deploy' }]);
    const d = await registry.resolve('trait', 'canary');
    expect(d.forms.deploy).toEqual({ items: [{ name: 'weight', type: 'number' }] });
    expect(d.source).toBe('plugin:canary.tgz');
    await expect(importPlugin(Buffer.from('not an archive at all'), registry)).rejects.toMatchObject({ code: 'OAM_PLUGIN_ARCHIVE' });
    // importing the same version again changes nothing and says why
    await expect(importPlugin(readFileSync(file), registry, { runtime })).rejects.toMatchObject({ code: 'OAM_DEF_VERSION', status: 409 });
    expect((await registry.history('trait', 'canary')).length).toBe(1);
  });

  it('imports the SREWorks plugins as far as they map and reports the rest', async () => {
    const registry = createBuiltinRegistry();
    const results: Record<string, Awaited<ReturnType<typeof importSreworksPluginDefinition>>> = {};
    for (const f of ['microservice.component.yaml', 'helm.component.yaml', 'service.trait.yaml', 'ingress.trait.yaml'])
      results[f] = await importSreworksPluginDefinition(readFileSync(fixturePath('sreworks', 'plugins', f), 'utf8'), registry, { runtime, name: f });
    expect(results['microservice.component.yaml'].imported).toMatchObject([{ kind: 'component', name: 'microservice', version: '1.3.0', from: 'microservice.component.sreworks.io/v1beta1' }]);
    expect(results['helm.component.yaml'].imported).toMatchObject([{ name: 'abm-helm', version: '1.5.8' }]);
    expect(results['ingress.trait.yaml'].imported).toMatchObject([{ kind: 'trait', name: 'ingress', version: '1.1.4' }]);
    const svc = await registry.resolve('trait', 'service');
    expect(svc).toMatchObject({ version: '1.0.1', stage: 'post', appliesToWorkloads: ['abm-helm', 'microservice'], labels: { key: 'value' } });
    const reasons = results['microservice.component.yaml'].unmapped.map((u) => u.item);
    expect(reasons.some((r) => r.includes('COMPONENT_BUILD'))).toBe(true);
    expect(reasons.some((r) => r.includes('COMPONENT_DESTROY'))).toBe(true);
    expect(reasons.some((r) => r.includes('frontend DEPLOY frontends/deploy.json'))).toBe(true);
    expect(reasons.some((r) => r.includes('resource resources/hello.yaml'))).toBe(true);
    // the built-in Flux helm keeps its semantics
    expect((await registry.resolve('component', 'helm')).version).toBe('1.0.0');
  });

  it('imports a SREWorks plugin archive with its frontend forms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oam-swplugin-'));
    mkdirSync(join(dir, 'frontends'));
    writeFileSync(join(dir, 'definition.yaml'), readFileSync(fixturePath('sreworks', 'plugins', 'service.trait.yaml'), 'utf8'));
    writeFileSync(join(dir, 'frontends', 'deploy.json'), JSON.stringify({ schema: { properties: { backendPort: { type: 'number' } } } }));
    const file = join(dir, 'plugin-service-1.0.1.tgz');
    await tarCreate({ gzip: true, file, cwd: dir }, ['definition.yaml', 'frontends']);
    const registry = createBuiltinRegistry();
    const report = await importPlugin(readFileSync(file), registry, { runtime, name: 'plugin-service-1.0.1.tgz' });
    expect(report.imported).toMatchObject([{ kind: 'trait', name: 'service', version: '1.0.1', from: 'service.trait.sreworks.io/v1beta1' }]);
    expect(report.forms).toEqual([{ definition: 'service', form: 'deploy' }]);
    expect((await registry.resolve('trait', 'service')).forms.deploy).toEqual({ schema: { properties: { backendPort: { type: 'number' } } } });
    expect(report.unmapped).toEqual([]);

  });
});
