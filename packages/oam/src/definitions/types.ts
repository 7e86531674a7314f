// Definitions in KubeVela's shape (ComponentDefinition, TraitDefinition, PolicyDefinition,
// WorkflowStepDefinition) with a `schematic.javascript` instead of CUE: a JSON Schema for
// `parameter` and an ES module exporting `render({parameter, context})`, run in the sandbox.
import { z } from 'zod';
import semver from 'semver';
import { oamInput } from '../errors.js';
import { parseWith } from '../parse/common.js';

export const DEFINITION_KINDS = {
  ComponentDefinition: 'component',
  TraitDefinition: 'trait',
  PolicyDefinition: 'policy',
  WorkflowStepDefinition: 'workflow-step',
} as const;
export type DefinitionKind = (typeof DEFINITION_KINDS)[keyof typeof DEFINITION_KINDS];
export const KIND_NAMES: Record<DefinitionKind, keyof typeof DEFINITION_KINDS> = {
  component: 'ComponentDefinition',
  trait: 'TraitDefinition',
  policy: 'PolicyDefinition',
  'workflow-step': 'WorkflowStepDefinition',
};

export interface DefinitionStatus {
  /** JS expression over `context` (`context.output`, `context.outputs`) and `parameter`; true = healthy. */
  healthPolicy?: string;
  /** JS expression giving the status message (a string). */
  customStatus?: string;
  /** name → JS expression; values shown as details. */
  details?: Record<string, string>;
}

/** What a workflow step definition says about itself; its execution comes later. */
export interface StepSemantics {
  /** what the step does, in one sentence. */
  summary: string;
  /** the step waits (for health, a resume, a duration) before it succeeds. */
  waits: boolean;
  /** the step applies objects to targets. */
  applies: boolean;
  /** the step may hold sub-steps (step-group). */
  subSteps: boolean;
}

export interface Definition {
  kind: DefinitionKind;
  name: string;
  /** semver. */
  version: string;
  description: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** component: the primary object's kind (KubeVela `workload.definition`), and its `<plural>.<group>` type. */
  workload?: { apiVersion?: string; kind?: string; type?: string };
  /** trait: `deployments.apps`, `*`, or component definition names. Empty = applies to all. */
  appliesToWorkloads: string[];
  conflictsWith: string[];
  /** trait stage (KubeVela PreDispatch / DefaultDispatch / PostDispatch). */
  stage: 'pre' | 'default' | 'post';
  podDisruptive: boolean;
  status?: DefinitionStatus;
  /** JSON Schema of `parameter`. */
  parameter: Record<string, unknown>;
  /** ES module source exporting `render`; absent for policies/steps interpreted by the engine. */
  template?: string;
  /** workflow steps: typed semantics for the executor. */
  step?: StepSemantics;
  /** console forms (plugin `frontend` JSON), by form kind (`deploy`, `create-build`…). */
  forms: Record<string, unknown>;
  disabled: boolean;
  /** where it came from: `builtin`, `plugin:<name>@<version>`, `api`, a file path. */
  source: string;
}

const Obj = z.record(z.string(), z.unknown());
const DefinitionDoc = z.object({
  apiVersion: z.string().regex(/^core\.oam\.dev\/v1(beta1|alpha2)$/, 'core.oam.dev/v1beta1'),
  kind: z.enum(['ComponentDefinition', 'TraitDefinition', 'PolicyDefinition', 'WorkflowStepDefinition']),
  metadata: z.object({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a lowercase DNS name like webservice or json-patch'),
    labels: z.record(z.string(), z.string()).nullish(),
    annotations: z.record(z.string(), z.string()).nullish(),
  }),
  spec: z.strictObject({
    version: z.string().refine((v) => semver.valid(v) !== null, 'a semver version like 1.2.0'),
    workload: z.object({ definition: z.object({ apiVersion: z.string(), kind: z.string() }).nullish(), type: z.string().nullish() }).nullish(),
    appliesToWorkloads: z.array(z.string()).nullish(),
    conflictsWith: z.array(z.string()).nullish(),
    stage: z.enum(['PreDispatch', 'DefaultDispatch', 'PostDispatch']).nullish(),
    podDisruptive: z.boolean().nullish(),
    status: z.strictObject({ healthPolicy: z.string().nullish(), customStatus: z.string().nullish(), details: z.record(z.string(), z.string()).nullish() }).nullish(),
    step: z.strictObject({ summary: z.string(), waits: z.boolean(), applies: z.boolean(), subSteps: z.boolean() }).nullish(),
    schematic: z.strictObject({
      javascript: z.strictObject({
        parameter: Obj.nullish(),
        template: z.string().nullish(),
        /**
         * the template in a file beside the definition (resolved by the loader); a list is
         * concatenated in order, so templates can share helpers (a sandbox module has no imports).
         */
        file: z.union([z.string(), z.array(z.string()).min(1)]).nullish(),
      }),
    }),
    forms: Obj.nullish(),
  }),
});
export type DefinitionDocument = z.input<typeof DefinitionDoc>;

/**
 * Decode a definition document. `readFile` resolves `schematic.javascript.file` (definitions
 * loaded from a directory or an archive keep the module in its own `.js` file).
 */
export function definitionFromDocument(doc: unknown, opts: { document: string; source: string; readFile?: (path: string) => string | undefined }): Definition {
  const d = parseWith(DefinitionDoc, doc, opts.document, '');
  const js = d.spec.schematic.javascript;
  let template = js.template ?? undefined;
  if (js.file) {
    if (template) throw oamInput('OAM_DEF_FIELD', `${opts.document}: give schematic.javascript.template or .file, not both`, { document: opts.document, field: 'spec.schematic.javascript.file' });
    const parts: string[] = [];
    for (const f of [js.file].flat()) {
      const text = opts.readFile?.(f);
      if (text === undefined)
        throw oamInput('OAM_DEF_FIELD', `${opts.document}: spec.schematic.javascript.file: ${f} is not there`, { document: opts.document, field: 'spec.schematic.javascript.file' });
      parts.push(text);
    }
    template = parts.join('\n');
  }
  const kind = DEFINITION_KINDS[d.kind];
  if ((kind === 'component' || kind === 'trait') && !template)
    throw oamInput('OAM_DEF_FIELD', `${opts.document}: a ${d.kind} needs schematic.javascript.template (a module exporting render)`, {
      document: opts.document,
      definition: d.metadata.name,
      field: 'spec.schematic.javascript.template',
    });
  const annotations = d.metadata.annotations ?? {};
  return {
    kind,
    name: d.metadata.name,
    version: semver.clean(d.spec.version) ?? d.spec.version,
    description: annotations['definition.oam.dev/description'] ?? '',
    labels: d.metadata.labels ?? {},
    annotations,
    workload: d.spec.workload
      ? { apiVersion: d.spec.workload.definition?.apiVersion, kind: d.spec.workload.definition?.kind, type: d.spec.workload.type ?? undefined }
      : undefined,
    appliesToWorkloads: d.spec.appliesToWorkloads ?? [],
    conflictsWith: d.spec.conflictsWith ?? [],
    stage: d.spec.stage === 'PreDispatch' ? 'pre' : d.spec.stage === 'PostDispatch' ? 'post' : 'default',
    podDisruptive: d.spec.podDisruptive ?? false,
    status: d.spec.status
      ? { healthPolicy: d.spec.status.healthPolicy ?? undefined, customStatus: d.spec.status.customStatus ?? undefined, details: d.spec.status.details ?? undefined }
      : undefined,
    parameter: js.parameter ?? { type: 'object' },
    template,
    step: d.spec.step ?? undefined,
    forms: d.spec.forms ?? {},
    disabled: false,
    source: opts.source,
  };
}

/** The workload type KubeVela matches `appliesToWorkloads` against: `deployments.apps`. */
export function workloadType(apiVersion: string | undefined, kind: string | undefined): string | undefined {
  if (!apiVersion || !kind) return undefined;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const plural = pluralize(kind.toLowerCase());
  return group ? `${plural}.${group}` : plural;
}

function pluralize(k: string): string {
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}
