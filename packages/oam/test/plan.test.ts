import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseApplication, planApp, type Plan } from '../src/index.js';
import { fixturePath } from './fixtures.js';

const before = (p: Plan, a: string, b: string) => {
  const layer = (id: string) => p.layers.findIndex((l) => l.includes(id));
  expect(layer(a), `${a} is planned`).toBeGreaterThanOrEqual(0);
  expect(layer(b), `${b} is planned`).toBeGreaterThanOrEqual(0);
  expect(layer(a), `${a} before ${b}`).toBeLessThan(layer(b));
};

const sreworks = (components: string) => `apiVersion: core.oam.dev/v1alpha2
kind: ApplicationConfiguration
metadata: { name: x }
spec:
  components:
${components}`;

describe('planApp', () => {
  it('follows SREWorks ordering: pre traits before, post traits after, dependents wait for post traits', () => {
    const p = planApp(
      parseApplication(
        sreworks(`    - revisionName: K8S_MICROSERVICE|db|_
      traits:
        - { name: a.trait.abm.io, runtime: pre, spec: {} }
        - { name: b.trait.abm.io, runtime: pre, spec: {} }
        - { name: service.trait.abm.io, runtime: post, spec: {} }
    - revisionName: K8S_MICROSERVICE|api|_
      dependencies: [{ component: K8S_MICROSERVICE|db, condition: "1==1" }]
      traits:
        - { name: x.trait.abm.io, runtime: pre, spec: {} }`),
      ),
    );
    before(p, 'trait:db/a', 'trait:db/b');
    before(p, 'trait:db/b', 'component:db');
    before(p, 'component:db', 'trait:db/service');
    // "depends on db" = db and its post traits are done; the edge lands on api's entry (its first pre trait).
    before(p, 'trait:db/service', 'trait:api/x');
    before(p, 'trait:api/x', 'component:api');
    expect(p.edges).toContainEqual({ from: 'trait:db/service', to: 'trait:api/x', reason: 'dependsOn', condition: '1==1' });
    expect(p.componentOrder).toEqual(['db', 'api']);
  });

  it('orders data inputs after the component that declares the output (SREWorks dataOutputs and KubeVela outputs)', () => {
    const p = planApp(
      parseApplication(
        sreworks(`    - revisionName: K8S_MICROSERVICE|consumer|_
      dataInputs: [{ valueFrom: { dataOutputName: Global.DB_HOST }, toFieldPaths: [spec.env.DB] }, { valueFrom: { dataOutputName: Global.KUBECONFIG } }]
    - revisionName: RESOURCE_ADDON|system-env@system-env|_
      dataOutputs: [{ name: Global.DB_HOST, fieldPath: "{{ spec.env.DB_HOST }}" }]`),
      ),
    );
    expect(p.edges).toContainEqual({ from: 'component:system-env', to: 'component:consumer', reason: 'input', data: 'Global.DB_HOST' });
    expect(p.componentOrder).toEqual(['system-env', 'consumer']);
    const kv = planApp(
      parseApplication(`apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: a }
spec:
  components:
    - { name: b, type: worker, inputs: [{ from: addr, parameterKey: env }] }
    - { name: a, type: worker, outputs: [{ name: addr, valueFrom: output.metadata.name }] }`),
    );
    expect(kv.componentOrder).toEqual(['a', 'b']);
  });

  it('rejects a cycle and names it', () => {
    const app = parseApplication(`apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: loop }
spec:
  components:
    - { name: a, type: worker, dependsOn: [b] }
    - { name: b, type: worker, dependsOn: [a] }`);
    try {
      planApp(app);
      expect.unreachable();
    } catch (e: any) {
      expect(e.code).toBe('OAM_PLAN_CYCLE');
      expect(e.message).toMatch(/dependency cycle: (a -> b -> a|b -> a -> b)/);
      expect(e.details.cycle.length).toBe(3);
    }
  });

  it('rejects an unknown dependency and an input nobody produces (KubeVela)', () => {
    const bad = (spec: string) => () =>
      planApp(parseApplication(`apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: { name: x }\nspec:\n  components:\n${spec}`));
    expect(bad('    - { name: a, type: worker, dependsOn: [ghost] }')).toThrow(/depends on "ghost"/);
    expect(bad('    - { name: a, type: worker, inputs: [{ from: nothing, parameterKey: x }] }')).toThrow(/no component outputs "nothing"/);
  });

  it('plans workflow steps: StepByStep chain, DAG by inputs/outputs, step-group completes after its sub-steps', () => {
    const graph = planApp(parseApplication(readFileSync(fixturePath('sreworks', 'application_configuration', 'test_workflow_graph.yaml'), 'utf8')));
    before(graph, 'step:deploy-env-e2e-2', 'step:deploy-env-e2e-1');
    before(graph, 'step:deploy-env-e2e-3', 'step:deploy-env-e2e-1');
    before(graph, 'step:deploy-env-e2e-1', 'step:deploy-env-e2e-4');
    expect(graph.layers.length).toBe(3);
    const seq = planApp(parseApplication(readFileSync(fixturePath('sreworks', 'application_configuration', 'e2e_workflow_microservice.yaml'), 'utf8')));
    before(seq, 'step:deploy-local-1', 'step:wait-for-user-approval');
    before(seq, 'step:wait-for-user-approval', 'step:deploy-local-2');
    expect(seq.nodes.find((n) => n.id === 'step:deploy-local-1')?.components).toEqual(['server', 'job']);
    const g = planApp(
      parseApplication(`apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: g }
spec:
  components: [{ name: a, type: worker }]
  workflow:
    steps:
      - { name: first, type: suspend }
      - name: group
        type: step-group
        subSteps:
          - { name: x, type: deploy }
          - { name: y, type: notification, dependsOn: [x] }
      - { name: last, type: suspend }`),
    );
    before(g, 'step:first', 'step:group/x');
    before(g, 'step:group/x', 'step:group/y');
    before(g, 'step:group/y', 'step:group');
    before(g, 'step:group', 'step:last');
    expect(g.nodes.find((n) => n.id === 'step:group/y')?.parent).toBe('step:group');
  });

  it('makes the default deploy step when there is no workflow', () => {
    const p = planApp(parseApplication(`apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: { name: x }\nspec:\n  components: [{ name: a, type: worker }]`));
    expect(p.nodes.find((n) => n.kind === 'step')).toMatchObject({ name: 'deploy', synthesized: true, components: ['a'] });
  });
});
