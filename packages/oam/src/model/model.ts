// The one internal model both KubeVela `Application` (core.oam.dev/v1beta1) and SREWorks
// `ApplicationConfiguration` (core.oam.dev/v1alpha2) are parsed into. Render and plan read only
// this. Strings may still hold Jinja `{{ }}` (SREWorks): they are rendered at render time, when
// the global parameters and earlier components' data outputs are known.
import { z } from 'zod';

export const JsonObjectSchema = z.record(z.string(), z.unknown());
export type JsonObject = Record<string, unknown>;

/** KubeVela output: a named value taken from the rendered output at `valueFrom` (a path). */
export const OutputRefSchema = z.object({ name: z.string().min(1), valueFrom: z.string().min(1) });
/** KubeVela input: the named value injected into properties at `parameterKey` (a path). */
export const InputRefSchema = z.object({ from: z.string().min(1), parameterKey: z.string().min(1) });

/** SREWorks: a value written at each field path of the rendered workload (or a Global param). */
export const ParameterValueSchema = z.object({
  name: z.string().min(1),
  value: z.unknown(),
  toFieldPaths: z.array(z.string()).default([]),
});
/** SREWorks: a data output of another node written at field paths. */
export const DataInputSchema = z.object({ from: z.string().min(1), toFieldPaths: z.array(z.string()).default([]) });
/** SREWorks: a named value read from the rendered workload; `fieldPath` is a path or a Jinja template. */
export const DataOutputSchema = z.object({ name: z.string().min(1), fieldPath: z.string() });

export const ScopeSchema = z.object({ kind: z.string(), name: z.string().optional(), apiVersion: z.string().optional(), spec: JsonObjectSchema.optional() });

export const TraitStageSchema = z.enum(['pre', 'default', 'post']);
export type TraitStage = z.infer<typeof TraitStageSchema>;

export const TraitModelSchema = z.object({
  type: z.string().min(1),
  /** `type@version` pin, when given. */
  version: z.string().optional(),
  properties: JsonObjectSchema.default({}),
  /** stage asked by the application (SREWorks `runtime`); otherwise the definition decides. */
  stage: TraitStageSchema.optional(),
  /** where the trait sits in its source document, for error messages. */
  path: z.string(),
  /** the name the source document used (SREWorks `service.trait.abm.io`). */
  sourceName: z.string().optional(),
  dataInputs: z.array(DataInputSchema).default([]),
  dataOutputs: z.array(DataOutputSchema).default([]),
  parameterValues: z.array(ParameterValueSchema).default([]),
});
export type TraitModel = z.infer<typeof TraitModelSchema>;

export const DependencySchema = z.object({ component: z.string(), condition: z.string().optional() });

export const ComponentModelSchema = z.object({
  name: z.string().min(1),
  type: z.string().min(1),
  version: z.string().optional(),
  properties: JsonObjectSchema.default({}),
  traits: z.array(TraitModelSchema).default([]),
  dependsOn: z.array(DependencySchema).default([]),
  inputs: z.array(InputRefSchema).default([]),
  outputs: z.array(OutputRefSchema).default([]),
  scopes: z.array(ScopeSchema).default([]),
  externalRevision: z.string().optional(),
  path: z.string(),
  /** SREWorks only. */
  sreworks: z
    .object({
      revisionName: z.string(),
      componentType: z.string(),
      componentName: z.string(),
      version: z.string(),
      parameterValues: z.array(ParameterValueSchema).default([]),
      dataInputs: z.array(DataInputSchema).default([]),
      dataOutputs: z.array(DataOutputSchema).default([]),
    })
    .optional(),
});
export type ComponentModel = z.infer<typeof ComponentModelSchema>;

export const PolicyModelSchema = z.object({ name: z.string().min(1), type: z.string().min(1), properties: JsonObjectSchema.default({}), path: z.string() });
export type PolicyModel = z.infer<typeof PolicyModelSchema>;

export interface StepModel {
  name: string;
  type: string;
  properties: JsonObject;
  dependsOn: string[];
  if?: string;
  timeout?: string;
  inputs: { from: string; parameterKey: string }[];
  outputs: { name: string; valueFrom: string }[];
  /** SREWorks step stage. */
  stage?: 'pre-render' | 'post-render' | 'post-deploy';
  subSteps: StepModel[];
  path: string;
}
export const StepModelSchema: z.ZodType<StepModel> = z.lazy(() =>
  z.object({
    name: z.string().min(1),
    type: z.string().min(1),
    properties: JsonObjectSchema,
    dependsOn: z.array(z.string()),
    if: z.string().optional(),
    timeout: z.string().optional(),
    inputs: z.array(InputRefSchema),
    outputs: z.array(OutputRefSchema),
    stage: z.enum(['pre-render', 'post-render', 'post-deploy']).optional(),
    subSteps: z.array(StepModelSchema),
    path: z.string(),
  }),
);

export const WorkflowModelSchema = z.object({
  mode: z.object({ steps: z.enum(['StepByStep', 'DAG']), subSteps: z.enum(['StepByStep', 'DAG']) }),
  steps: z.array(StepModelSchema),
  ref: z.string().optional(),
});
export type WorkflowModel = z.infer<typeof WorkflowModelSchema>;

export const AppModelSchema = z.object({
  source: z.enum(['kubevela', 'sreworks']),
  /** a name for error messages: the file name, or `<kind>/<name>`. */
  document: z.string(),
  name: z.string().min(1),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
  components: z.array(ComponentModelSchema),
  policies: z.array(PolicyModelSchema).default([]),
  workflow: WorkflowModelSchema.optional(),
  /** SREWorks global parameters (`spec.parameterValues` and `Global.X` values), nested by dots. */
  globals: JsonObjectSchema.default({}),
});
export type AppModel = z.infer<typeof AppModelSchema>;
