// KubeVela `core.oam.dev/v1beta1` Application → the internal model. Field shapes follow
// apis/core.oam.dev/v1beta1/application_types.go; unknown fields inside components, traits,
// policies and steps are refused so a typo does not silently do nothing.
import { z } from 'zod';
import type { AppModel, ComponentModel, StepModel, WorkflowModel } from '../model/model.js';
import { oamInput } from '../errors.js';
import { parseWith } from './common.js';

const Obj = z.record(z.string(), z.unknown());
const Output = z.strictObject({ name: z.string().min(1), valueFrom: z.string().min(1) });
const Input = z.strictObject({ from: z.string().min(1), parameterKey: z.string().min(1) });

const Trait = z.strictObject({ type: z.string().min(1), properties: Obj.nullish() });
const Component = z.strictObject({
  name: z.string().min(1),
  type: z.string().min(1),
  properties: Obj.nullish(),
  traits: z.array(Trait).nullish(),
  dependsOn: z.array(z.string().min(1)).nullish(),
  inputs: z.array(Input).nullish(),
  outputs: z.array(Output).nullish(),
  externalRevision: z.string().nullish(),
  scopes: z.record(z.string(), z.string()).nullish(),
});
const Policy = z.strictObject({ name: z.string().min(1), type: z.string().min(1), properties: Obj.nullish() });

interface RawStep {
  name: string;
  type: string;
  properties?: Record<string, unknown> | null;
  dependsOn?: string[] | null;
  if?: string | null;
  timeout?: string | null;
  inputs?: { from: string; parameterKey: string }[] | null;
  outputs?: { name: string; valueFrom: string }[] | null;
  meta?: { alias?: string } | null;
  subSteps?: RawStep[] | null;
  mode?: string | null;
}
const Step: z.ZodType<RawStep> = z.lazy(() =>
  z.strictObject({
    name: z.string().min(1),
    type: z.string().min(1),
    properties: Obj.nullish(),
    dependsOn: z.array(z.string()).nullish(),
    if: z.string().nullish(),
    timeout: z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h))+$/, 'a duration like 30s, 5m or 1h30m').nullish(),
    inputs: z.array(Input).nullish(),
    outputs: z.array(Output).nullish(),
    meta: z.object({ alias: z.string().optional() }).nullish(),
    subSteps: z.array(Step).nullish(),
    mode: z.string().nullish(),
  }),
);
const Mode = z.enum(['StepByStep', 'DAG']);

const Application = z.object({
  apiVersion: z.literal('core.oam.dev/v1beta1'),
  kind: z.literal('Application'),
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).nullish(),
    annotations: z.record(z.string(), z.string()).nullish(),
  }),
  spec: z.object({
    components: z.array(Component),
    policies: z.array(Policy).nullish(),
    workflow: z
      .object({
        ref: z.string().nullish(),
        mode: z.object({ steps: Mode.optional(), subSteps: Mode.optional() }).nullish(),
        steps: z.array(Step).nullish(),
      })
      .nullish(),
  }),
});

export function parseKubeVelaApplication(doc: unknown, document: string): AppModel {
  const app = parseWith(Application, doc, document, '');
  const seen = new Set<string>();
  const components: ComponentModel[] = app.spec.components.map((c, i) => {
    const path = `spec.components[${i}]`;
    if (seen.has(c.name)) throw oamInput('OAM_PARSE_DUPLICATE', `${document}: component name "${c.name}" is used twice`, { document, component: c.name, field: `${path}.name` });
    seen.add(c.name);
    const [type, version] = splitPin(c.type);
    const traitTypes = new Set<string>();
    return {
      name: c.name,
      type,
      version,
      properties: c.properties ?? {},
      traits: (c.traits ?? []).map((t, j) => {
        const [ttype, tversion] = splitPin(t.type);
        if (traitTypes.has(ttype))
          throw oamInput('OAM_PARSE_DUPLICATE', `${document}: component "${c.name}" has trait "${ttype}" twice`, { document, component: c.name, trait: ttype, field: `${path}.traits[${j}].type` });
        traitTypes.add(ttype);
        return { type: ttype, version: tversion, properties: t.properties ?? {}, path: `${path}.traits[${j}]`, dataInputs: [], dataOutputs: [], parameterValues: [] };
      }),
      dependsOn: (c.dependsOn ?? []).map((d) => ({ component: d })),
      inputs: c.inputs ?? [],
      outputs: c.outputs ?? [],
      scopes: Object.entries(c.scopes ?? {}).map(([kind, name]) => ({ kind, name })),
      externalRevision: c.externalRevision ?? undefined,
      path,
    };
  });
  let workflow: WorkflowModel | undefined;
  if (app.spec.workflow) {
    const w = app.spec.workflow;
    workflow = {
      // KubeVela: top-level steps default to StepByStep, sub-steps to DAG.
      mode: { steps: w.mode?.steps ?? 'StepByStep', subSteps: w.mode?.subSteps ?? 'DAG' },
      steps: (w.steps ?? []).map((s, i) => toStep(s, `spec.workflow.steps[${i}]`)),
      ref: w.ref ?? undefined,
    };
  }
  return {
    source: 'kubevela',
    document,
    name: app.metadata.name,
    namespace: app.metadata.namespace,
    labels: app.metadata.labels ?? {},
    annotations: app.metadata.annotations ?? {},
    components,
    policies: (app.spec.policies ?? []).map((p, i) => ({ name: p.name, type: p.type, properties: p.properties ?? {}, path: `spec.policies[${i}]` })),
    workflow,
    globals: {},
  };
}

function toStep(s: RawStep, path: string): StepModel {
  return {
    name: s.name,
    type: s.type,
    properties: s.properties ?? {},
    dependsOn: s.dependsOn ?? [],
    if: s.if ?? undefined,
    timeout: s.timeout ?? undefined,
    inputs: s.inputs ?? [],
    outputs: s.outputs ?? [],
    subSteps: (s.subSteps ?? []).map((x, i) => toStep(x, `${path}.subSteps[${i}]`)),
    path,
  };
}

/** `webservice@v1.2.0` → [`webservice`, `1.2.0`]; KubeVela also writes `@v1`. */
export function splitPin(type: string): [string, string | undefined] {
  const at = type.lastIndexOf('@');
  if (at <= 0) return [type, undefined];
  return [type.slice(0, at), type.slice(at + 1).replace(/^v(?=\d)/, '')];
}

/** External KubeVela `Policy` (v1alpha1) and `Workflow` documents given beside the app. */
export function parseExternalPolicy(doc: Record<string, any>, document: string): { name: string; type: string; properties: Record<string, unknown> } {
  const p = parseWith(
    z.object({ metadata: z.object({ name: z.string().min(1) }), type: z.string().min(1), properties: Obj.nullish() }),
    doc,
    document,
    '',
  );
  return { name: p.metadata.name, type: p.type, properties: p.properties ?? {} };
}

export function parseExternalWorkflow(doc: Record<string, any>, document: string): { name: string; steps: StepModel[]; mode?: { steps?: 'StepByStep' | 'DAG'; subSteps?: 'StepByStep' | 'DAG' } } {
  const w = parseWith(z.object({ metadata: z.object({ name: z.string().min(1) }), steps: z.array(Step), mode: z.object({ steps: Mode.optional(), subSteps: Mode.optional() }).nullish() }), doc, document, '');
  return { name: w.metadata.name, steps: w.steps.map((s, i) => toStep(s, `steps[${i}]`)), mode: w.mode ?? undefined };
}
