import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { createBuiltinRegistry, definitionFromDocument, JinjaEngine, parseApplication, renderApp, RenderEngine, type InMemoryDefinitionRegistry } from '../src/index.js';
import { registerRenderCommands } from '../../../apps/cli/src/commands/render.js';
import { TESTDATA } from './fixtures.js';

let engine: RenderEngine;
let registry: InMemoryDefinitionRegistry;
beforeAll(async () => {
  engine = await RenderEngine.create();
  registry = createBuiltinRegistry();
});
afterAll(() => engine.dispose());

const app = (components: string, extra = '') =>
  parseApplication(`apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop, namespace: team-a }
spec:
  components:
${components}
${extra}`, { document: 'shop.yaml' });

async function renderError(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error('expected the render to fail');
    },
    (e) => e,
  );
}

describe('renderApp', () => {
  it('stamps the app.oam.dev labels and records provenance and definition versions', async () => {
    const r = await renderApp(app(`    - name: web\n      type: webservice\n      properties: { image: nginx, ports: [{ port: 80, expose: true }] }\n      traits:\n        - { type: scaler, properties: { replicas: 2 } }\n        - { type: expose, properties: { port: [80], type: LoadBalancer } }`), { registry, engine, env: { appRevisionNum: 4 } });
    const [deploy, svc, exposeSvc] = r.objects;
    expect(deploy.object.metadata.labels).toMatchObject({
      'app.oam.dev/name': 'shop',
      'app.oam.dev/namespace': 'team-a',
      'app.oam.dev/component': 'web',
      'app.oam.dev/appRevision': 'shop-v4',
      'app.oam.dev/resourceType': 'WORKLOAD',
      'workload.oam.dev/type': 'webservice',
    });
    expect(deploy).toMatchObject({ role: 'workload', patchedBy: ['scaler'], validated: true });
    expect(svc).toMatchObject({ role: 'auxiliary', resourceKey: 'webserviceExpose' });
    expect(exposeSvc).toMatchObject({ role: 'trait', trait: 'expose', stage: 'post', resourceKey: 'service' });
    expect(exposeSvc.object.metadata.labels).toMatchObject({ 'trait.oam.dev/type': 'expose', 'trait.oam.dev/resource': 'service', 'app.oam.dev/resourceType': 'TRAIT' });
    expect(r.definitions).toEqual(expect.arrayContaining([{ kind: 'component', name: 'webservice', version: '1.0.0' }, { kind: 'trait', name: 'expose', version: '1.0.0' }]));
  });

  it('evaluates health and custom status against live objects, per trait too', async () => {
    const r = await renderApp(app(`    - name: web\n      type: webservice\n      properties: { image: nginx }\n      traits:\n        - { type: scaler, properties: { replicas: 2 } }\n        - { type: expose, properties: { port: [80], type: LoadBalancer } }`), { registry, engine });
    const c = r.components[0];
    const live = (ready: number) => ({ ...c.workload!, metadata: { ...c.workload!.metadata, generation: 3 }, status: { replicas: 2, updatedReplicas: 2, readyReplicas: ready, observedGeneration: 3 } });
    const lbPending = { service: { spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } } };
    const h1 = c.health({ output: live(1), outputs: lbPending });
    expect(h1).toMatchObject({ healthy: false, message: 'Ready:1/2' });
    expect(h1.traits.find((t) => t.type === 'expose')).toMatchObject({ healthy: false, message: 'waiting for the load balancer' });
    const h2 = c.health({ output: live(2), outputs: { service: { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } } } } });
    expect(h2).toMatchObject({ healthy: true, message: 'Ready:2/2' });
    expect(h2.traits.find((t) => t.type === 'expose')?.message).toBe('External IP: 10.0.0.9');
  });

  it('gateway and task report KubeVela-style status messages', async () => {
    const r = await renderApp(app(`    - name: web\n      type: webservice\n      properties: { image: nginx }\n      traits: [{ type: gateway, properties: { domain: a.example.com, http: { "/": 80 } } }]\n    - name: job\n      type: task\n      properties: { image: busybox, count: 2 }`), { registry, engine });
    const web = r.components.find((c) => c.name === 'web')!;
    const gw = (live: Record<string, any>) => web.health({ output: { ...web.workload!, status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1 } }, outputs: live }).traits[0];
    expect(gw({ service: { spec: {} } })).toMatchObject({ healthy: false });
    expect(gw({ service: { spec: { clusterIP: '10.0.0.1' } }, ingress: { spec: { rules: [{ host: 'a.example.com' }] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } } })).toMatchObject({
      healthy: true,
      message: 'Visiting URL: a.example.com, IP: 1.2.3.4',
    });
    const job = r.components.find((c) => c.name === 'job')!;
    expect(job.health({ output: { ...job.workload!, status: { active: 1, succeeded: 1 } } })).toMatchObject({ healthy: false, message: 'Active/Failed/Succeeded:1/0/1' });
    expect(job.health({ output: { ...job.workload!, status: { succeeded: 2 } } }).healthy).toBe(true);
  });

  it('passes outputs to inputs of later components (KubeVela data passing)', async () => {
    const r = await renderApp(
      app(`    - name: api\n      type: worker\n      properties: { image: api, env: [{ name: DB_SVC, value: "" }] }\n      inputs: [{ from: db-name, parameterKey: "env[0].value" }]\n    - name: db\n      type: webservice\n      properties: { image: mysql }\n      outputs: [{ name: db-name, valueFrom: output.metadata.name }]`),
      { registry, engine },
    );
    expect(r.components.map((c) => c.name)).toEqual(['db', 'api']);
    const api = r.components[1].workload as any;
    expect(api.spec.template.spec.containers[0].env).toEqual([{ name: 'DB_SVC', value: 'db' }]);
  });

  it('names component, trait and field when a template throws, loops or eats memory', async () => {
    const reg = createBuiltinRegistry([
      definitionFromDocument(
        { apiVersion: 'core.oam.dev/v1beta1', kind: 'TraitDefinition', metadata: { name: 'boom' }, spec: { version: '1.0.0', schematic: { javascript: { template: 'export function render({parameter}) { if (parameter.mode === "loop") for(;;){} if (parameter.mode === "mem") return { n: new Array(1e8).fill(1).length }; throw new Error("boom: no " + parameter.mode); }', parameter: { type: 'object' } } } } },
        { document: 'boom.yaml', source: 'test' },
      ),
    ]);
    const eng = new RenderEngine(engine.sandbox);
    try {
      for (const [mode, kind] of [['x', 'thrown'], ['loop', 'timeout'], ['mem', 'memory']]) {
        const e = await renderError(renderApp(app(`    - name: web\n      type: worker\n      properties: { image: nginx }\n      traits: [{ type: boom, properties: { mode: ${mode} } }]`), { registry: reg, engine: eng }));
        expect(e.code).toBe('OAM_RENDER_TEMPLATE');
        expect(e.details).toMatchObject({ document: 'shop.yaml', component: 'web', trait: 'boom', field: 'spec.components[0].traits[0]', sandbox: kind });
      }
    } finally {
      eng.dispose();
    }
  });

  it('fails validation naming the object, the component and the trait that produced it', async () => {
    const e = await renderError(renderApp(app(`    - name: web\n      type: worker\n      properties: { image: nginx }\n      traits: [{ type: json-patch, properties: { operations: [{ op: add, path: /spec/replicas, value: "two" }] } }]`), { registry, engine }));
    expect(e.code).toBe('OAM_RENDER_OBJECT_INVALID');
    expect(e.details).toMatchObject({ component: 'web', field: 'spec.replicas', object: 'apps/v1/Deployment web' });
    const e2 = await renderError(renderApp(app(`    - name: web\n      type: webservice\n      properties: { image: nginx }\n      traits: [{ type: expose, properties: { port: [80], name: Bad_Name } }]`), { registry, engine }));
    expect(e2.details).toMatchObject({ component: 'web', trait: 'expose', field: 'metadata.name' });
  });

  it('honours type@version pins and refuses disabled definitions', async () => {
    const reg = createBuiltinRegistry();
    const base = reg.resolveSync('trait', 'scaler');
    reg.putSync({ ...base, version: '2.0.0', template: 'export function render({ parameter }) { return { patch: { spec: { replicas: parameter.replicas * 10 } } }; }' });
    const replicas = async (type: string) => ((await renderApp(app(`    - name: w\n      type: worker\n      properties: { image: x }\n      traits: [{ type: "${type}", properties: { replicas: 2 } }]`), { registry: reg, engine })).components[0].workload as any).spec.replicas;
    expect(await replicas('scaler')).toBe(20);
    expect(await replicas('scaler@1.0.0')).toBe(2);
    await reg.setDisabled('trait', 'scaler', '2.0.0', true);
    expect(await replicas('scaler')).toBe(2);
    const e = await renderError(replicas('scaler@2.0.0'));
    expect(e).toMatchObject({ code: 'OAM_DEF_DISABLED' });
    expect(e.details.field).toBe('spec.components[0].traits[0].type');
  });

  it('selects an environment and refuses an unknown one, listing the known', async () => {
    const a = app(
      `    - name: w\n      type: worker\n      properties: { image: x }`,
      `  policies:\n    - { name: t1, type: topology, properties: { namespace: one, clusters: [c1, c2] } }\n  workflow:\n    steps:\n      - { name: env1, type: deploy, properties: { policies: [t1] } }`,
    );
    const r = await renderApp(a, { registry, engine, env: { name: 'env1' } });
    expect(r).toMatchObject({ env: 'env1', namespace: 'one', cluster: 'c1', environments: ['env1'] });
    expect(r.topology.clusters).toEqual(['c1', 'c2']);
    const e = await renderError(renderApp(a, { registry, engine, env: { name: 'nope' } }));
    expect(e).toMatchObject({ code: 'OAM_RENDER_ENV' });
    expect(e.message).toContain('env1');
  });
});

describe('SREWorks rendering', () => {
  it('renders the document-level {{ options.X }} templates of test_ac.yaml from the environment', async () => {
    const { readFileSync } = await import('node:fs');
    const { fixturePath } = await import('./fixtures.js');
    const m = parseApplication(readFileSync(fixturePath('sreworks', 'application_configuration', 'test_ac.yaml'), 'utf8'), { document: 'test_ac.yaml' });
    const r = await renderApp(m, { registry, engine, env: { cluster: 'c1', namespace: 'ns1', stage: 'dev', options: { appPackageId: 42 } } });
    expect(r.components[0]).toMatchObject({ name: 'productops', type: 'internal-addon', cluster: 'c1', namespace: 'ns1', workload: null });
    expect(r.objects).toEqual([]);
  });

  it('feeds a dataOutput into later components through Global, and Jinja values into the workload', async () => {
    const m = parseApplication(`apiVersion: core.oam.dev/v1alpha2
kind: ApplicationConfiguration
metadata: { name: x, annotations: { appId: x } }
spec:
  parameterValues: [{ name: STAGE_ID, value: prod }]
  components:
    - revisionName: K8S_MICROSERVICE|api|_
      dependencies: [{ component: RESOURCE_ADDON|system-env@system-env }]
      parameterValues:
        - { name: DB, value: "{{ Global.DB_HOST }}/{{ Global.STAGE_ID }}", toFieldPaths: [spec.env.DB] }
        - { name: LABEL, value: "{{ Global.STAGE_ID }}", toFieldPaths: [metadata.labels.stage] }
    - revisionName: RESOURCE_ADDON|system-env@system-env|_
      parameterValues: [{ name: env, value: { DB_HOST: mysql.db }, toFieldPaths: [spec.env] }]
      dataOutputs: [{ name: Global.DB_HOST, fieldPath: "{{ spec.env.DB_HOST }}" }]`);
    const r = await renderApp(m, { registry, engine });
    const api = r.components.find((c) => c.name === 'api')!;
    expect((api.workload as any).spec.env).toEqual({ DB: 'mysql.db/prod' });
    expect(api.workload!.metadata.labels).toMatchObject({ stage: 'prod' });
    expect(r.components.find((c) => c.name === 'system-env')!.outputs).toEqual({ 'Global.DB_HOST': 'mysql.db' });
  });
});

describe('shared SREWorks fixtures', () => {
  it('every application_configuration and launch file renders to valid objects', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { fixturePath } = await import('./fixtures.js');
    let objects = 0;
    for (const dir of ['application_configuration', 'launch']) {
      const root = fixturePath('sreworks', dir);
      for (const f of readdirSync(root).filter((x) => x.endsWith('.yaml'))) {
        const r = await renderApp(parseApplication(readFileSync(`${root}/${f}`, 'utf8'), { document: f }), { registry, engine, env: { stage: 'prod' } });
        for (const o of r.objects) expect(o.object.metadata.labels?.['app.oam.dev/name'], `${f}: ${o.object.kind}`).toBeTruthy();
        objects += r.objects.length;
      }
    }
    expect(objects).toBeGreaterThan(20);
  });
});

describe('workflow steps', () => {
  it('describes each step with its definition and semantics, and refuses bad properties or unknown types', async () => {
    const wf = (steps: string) =>
      app(`    - name: w\n      type: worker\n      properties: { image: x }`, `  workflow:\n    steps:\n${steps}`);
    const r = await renderApp(wf(`      - { name: d, type: deploy, properties: { policies: [] } }\n      - { name: wait, type: suspend, properties: { duration: 30s } }\n      - name: g\n        type: step-group\n        subSteps:\n          - { name: n, type: notification, properties: { webhook: { url: { value: "http://hook" } } } }`), { registry, engine });
    expect(r.steps.map((s) => [s.name, s.definition.name, s.semantics.waits])).toEqual([['d', 'deploy', true], ['wait', 'suspend', true], ['g', 'step-group', true]]);
    expect(r.steps[0].properties).toMatchObject({ auto: true, parallelism: 5 });
    expect(r.steps[2].subSteps[0].semantics.summary).toContain('webhook');
    const bad = await renderError(renderApp(wf(`      - { name: wait, type: suspend, properties: { duration: soon } }`), { registry, engine }));
    expect(bad).toMatchObject({ code: 'OAM_RENDER_PARAMETER' });
    expect(bad.details.field).toBe('spec.workflow.steps[0].properties.duration');
    const unknown = await renderError(renderApp(wf(`      - { name: x, type: teleport }`), { registry, engine }));
    expect(unknown).toMatchObject({ code: 'OAM_DEF_NOT_FOUND' });
    expect(unknown.details.field).toBe('spec.workflow.steps[0].type');
  });
});

describe('Jinja in the sandbox', () => {
  it('renders SREWorks templates and gives a template nothing to escape to', () => {
    const j = new JinjaEngine(engine.sandbox);
    try {
      expect(j.renderAll(['{{ Global.STAGE_ID }}-team.{{ Global.NS }}', '{{ missing | default("d") }}'], { Global: { STAGE_ID: 'prod', NS: 'sw' } }, {})).toEqual(['prod-team.sw', 'd']);
      const probes = j.renderAll(
        ['{{ range.constructor("return typeof process")() }}', '{{ cycler.constructor("return typeof require")() }}', '{{ joiner.constructor("return typeof globalThis.fetch")() }}'],
        {},
        {},
      );
      expect(probes).toEqual(['undefined', 'undefined', 'undefined']);
      expect(() => j.renderAll(['{% for x in [1] %}'], {}, { field: 'f' })).toThrow(/OAM_RENDER_JINJA|Jinja|f/);
    } finally {
      j.dispose();
    }
  });
});

describe('sreworks render (CLI)', () => {
  it('renders a testdata app offline with extra definitions, as YAML and as JSON', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    (process.stdout as any).write = (s: string) => (out.push(String(s)), true);
    try {
      const program = new Command('sreworks').exitOverride();
      registerRenderCommands(program as unknown as Parameters<typeof registerRenderCommands>[0]); // root commander types may differ in version
      await program.parseAsync(['node', 'sreworks', 'render', '-f', `${TESTDATA}/custom-definition/app.yaml`, '-d', `${TESTDATA}/custom-definition/definitions`]);
      await program.parseAsync(['node', 'sreworks', 'render', '-f', `${TESTDATA}/custom-definition/app.yaml`, '-d', `${TESTDATA}/custom-definition/definitions`, '-o', 'json']);
    } finally {
      (process.stdout as any).write = write;
    }
    expect(out[0]).toContain('kind: Deployment');
    expect(out[0]).toContain('example.com/owner: platform');
    expect(JSON.parse(out[1]).items.map((i: any) => i.kind)).toEqual(['ConfigMap', 'Deployment']);
  });

  it('prints one clear error line and exit code 2 for a bad app', async () => {
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    (process.stderr as any).write = (s: string) => (err.push(String(s)), true);
    try {
      const program = new Command('sreworks').exitOverride();
      registerRenderCommands(program as unknown as Parameters<typeof registerRenderCommands>[0]); // root commander types may differ in version
      await program.parseAsync(['node', 'sreworks', 'render', '-f', `${TESTDATA}/error-bad-parameter/app.yaml`]);
    } finally {
      (process.stderr as any).write = write;
    }
    expect(err.join('')).toMatch(/^error OAM_RENDER_PARAMETER: .*spec\.components\[0\]\.properties\.ports\[0\]\.port: must be integer/);
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
  });
});
