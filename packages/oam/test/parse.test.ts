import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseApplication, parseRevisionName, planApp, quoteJinjaScalars, AppModelSchema } from '../src/index.js';
import { fixturePath } from './fixtures.js';

function fails(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

const vela = (spec: string) => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: app
spec:
${spec}`;

describe('KubeVela Application', () => {
  it('parses components, pins, traits, inputs/outputs, policies and a workflow with sub-steps', () => {
    const m = parseApplication(
      vela(`  components:
    - name: db
      type: webservice@v1.2.0
      properties: { image: mysql }
      outputs: [{ name: host, valueFrom: output.metadata.name }]
    - name: api
      type: webservice
      properties: { image: api }
      dependsOn: [db]
      inputs: [{ from: host, parameterKey: "env[0].value" }]
      traits:
        - type: scaler@1
          properties: { replicas: 2 }
  policies:
    - name: t
      type: topology
      properties: { clusters: [local] }
  workflow:
    mode: { steps: DAG }
    steps:
      - name: group
        type: step-group
        timeout: 5m
        if: status.prev.succeeded
        subSteps:
          - { name: one, type: deploy, properties: { policies: [t] } }
          - { name: two, type: suspend, dependsOn: [one] }`),
      { document: 'app.yaml' },
    );
    expect(AppModelSchema.safeParse(m).success).toBe(true);
    expect(m.components[0]).toMatchObject({ name: 'db', type: 'webservice', version: '1.2.0', outputs: [{ name: 'host' }] });
    expect(m.components[1].traits[0]).toMatchObject({ type: 'scaler', version: '1', properties: { replicas: 2 }, path: 'spec.components[1].traits[0]' });
    expect(m.components[1].dependsOn).toEqual([{ component: 'db' }]);
    expect(m.workflow?.mode).toEqual({ steps: 'DAG', subSteps: 'DAG' });
    expect(m.workflow?.steps[0]).toMatchObject({ name: 'group', timeout: '5m', if: 'status.prev.succeeded' });
    expect(m.workflow?.steps[0].subSteps.map((s) => s.name)).toEqual(['one', 'two']);
  });

  it('names the document and field path of a wrong field', () => {
    const e = fails(() => parseApplication(vela(`  components:\n    - name: web\n      type: webservice\n      traits:\n        - type: scaler\n          propertes: {}`), { document: 'x.yaml' }));
    expect(e.code).toBe('OAM_PARSE_FIELD');
    expect(e.status).toBe(400);
    expect(e.details.document).toBe('x.yaml');
    expect(e.details.field).toBe('spec.components[0].traits[0]');
    expect(e.message).toContain('propertes');
  });

  it('rejects a bad timeout, duplicate names and YAML errors with positions', () => {
    expect(fails(() => parseApplication(vela(`  components: []\n  workflow:\n    steps:\n      - { name: s, type: suspend, timeout: soon }`))).details.field).toBe('spec.workflow.steps[0].timeout');
    const dup = fails(() => parseApplication(vela(`  components:\n    - { name: a, type: worker }\n    - { name: a, type: worker }`)));
    expect(dup.code).toBe('OAM_PARSE_DUPLICATE');
    expect(dup.details.field).toBe('spec.components[1].name');
    const y = fails(() => parseApplication('apiVersion: v1\nkind: [\n', { document: 'bad.yaml' }));
    expect(y.code).toBe('OAM_PARSE_YAML');
    expect(y.message).toMatch(/bad\.yaml: YAML error at line \d+/);
    expect(fails(() => parseApplication('apiVersion: v1\nkind: Pod\nmetadata: {name: x}')).code).toBe('OAM_PARSE_KIND');
  });

  it('takes external Policy and Workflow documents given beside the app', () => {
    const m = parseApplication(`${vela(`  components: [{ name: a, type: worker, properties: { image: x } }]\n  workflow: { ref: wf }`)}
---
apiVersion: core.oam.dev/v1alpha1
kind: Policy
metadata: { name: ns }
type: topology
properties: { namespace: prod }
---
apiVersion: core.oam.dev/v1alpha1
kind: Workflow
metadata: { name: wf }
steps:
  - { name: d, type: deploy, properties: { policies: [ns] } }`);
    expect(m.policies).toMatchObject([{ name: 'ns', type: 'topology', properties: { namespace: 'prod' } }]);
    expect(m.workflow?.steps.map((s) => s.name)).toEqual(['d']);
  });
});

describe('SREWorks ApplicationConfiguration', () => {
  it('parses revisionName TYPE|NAME|VERSION and refuses malformed ones', () => {
    expect(parseRevisionName('RESOURCE_ADDON|system-env@system-env|1.0', { document: 'd', field: 'f' })).toEqual({
      componentType: 'RESOURCE_ADDON',
      componentName: 'system-env@system-env',
      version: '1.0',
      instance: 'system-env',
    });
    const e = fails(() => parseRevisionName('K8S_MICROSERVICE|team', { document: 'd', field: 'spec.components[0].revisionName' }));
    expect(e.code).toBe('OAM_PARSE_REVISION_NAME');
    expect(e.details.field).toBe('spec.components[0].revisionName');
  });

  it('maps components, traits, globals, dependencies and dataInputs/dataOutputs', () => {
    const m = parseApplication(readFileSync(fixturePath('sreworks', 'launch', 'team.yaml'), 'utf8'), { document: 'team.yaml' });
    expect(m.source).toBe('sreworks');
    expect(m.name).toBe('team');
    const team = m.components.find((c) => c.name === 'team')!;
    expect(team.type).toBe('microservice');
    expect(team.properties).toEqual({ replicas: 1 });
    expect(team.dependsOn).toEqual([{ component: 'system-env' }]);
    expect(team.traits.map((t) => [t.type, t.stage, t.sourceName])).toEqual([
      ['service', 'post', 'service.trait.abm.io'],
      ['sreworks-gateway', 'post', 'gateway.trait.abm.io'],
    ]);
    expect(m.globals).toMatchObject({ APPMANAGER_ENDPOINT: 'http://sreworks-appmanager', DB_NAME: 'sreworks_meta', APP_ID: 'team' });
    const env = m.components.find((c) => c.name === 'system-env')!;
    expect(env.type).toBe('resource-addon');
    expect(env.sreworks?.dataOutputs[0]).toEqual({ name: 'Global.DB_HOST', fieldPath: '{{ spec.env.DB_HOST }}' });
  });

  it('keeps unquoted Jinja scalars as templates (test_ac.yaml is a template before it is YAML)', () => {
    expect(quoteJinjaScalars('a: {{ options.x }}\n  - {{ y }}\nb: plain\nc: \'{{ z }}\'')).toBe("a: '{{ options.x }}'\n  - '{{ y }}'\nb: plain\nc: '{{ z }}'");
    // block scalars (helm values, scripts) keep their text
    expect(quoteJinjaScalars('a: {{ x }}\nscript: |\n  echo {{ y }}\n  k: {{ z }}\nb: {{ w }}')).toBe("a: '{{ x }}'\nscript: |\n  echo {{ y }}\n  k: {{ z }}\nb: '{{ w }}'");
    const m = parseApplication(readFileSync(fixturePath('sreworks', 'application_configuration', 'test_ac.yaml'), 'utf8'));
    expect(m.annotations.appPackageId).toBe('{{ options.appPackageId }}');
    expect(m.components[0].scopes.map((s) => s.name)).toEqual(['{{ options.clusterId }}', '{{ options.namespaceId }}', '{{ options.stageId }}']);
  });

  it('rejects a dependency on a component that is not there', () => {
    const e = fails(() =>
      parseApplication(`apiVersion: core.oam.dev/v1alpha2
kind: ApplicationConfiguration
metadata: { name: x }
spec:
  components:
    - revisionName: K8S_MICROSERVICE|a|_
      dependencies: [{ component: K8S_MICROSERVICE|ghost }]`),
    );
    expect(e.code).toBe('OAM_PLAN_UNKNOWN_REF');
    expect(e.details.field).toBe('spec.components[0].dependencies[0].component');
  });

  for (const dir of ['application_configuration', 'launch']) {
    it(`parses and plans every file of sreworks/${dir}`, () => {
      const root = fixturePath('sreworks', dir);
      const files = readdirSync(root).filter((f) => f.endsWith('.yaml'));
      expect(files.length).toBeGreaterThan(4);
      for (const f of files) {
        const m = parseApplication(readFileSync(`${root}/${f}`, 'utf8'), { document: f });
        const p = planApp(m);
        expect(p.layers.flat().length, f).toBe(p.nodes.length);
      }
    });
  }
});
