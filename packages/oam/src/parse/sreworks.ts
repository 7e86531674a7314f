// SREWorks `core.oam.dev/v1alpha2` ApplicationConfiguration → the internal model
// (reference sreworks.md §2.4). The document is loose in practice (empty strings, nulls, varying
// scope apiVersions), so this parser accepts what the original accepted and refuses only what the
// original could not have deployed.
import { z } from 'zod';
import type { AppModel, ComponentModel, StepModel, TraitModel, TraitStage } from '../model/model.js';
import { oamInput } from '../errors.js';
import { parseWith } from './common.js';
import { setPath } from '../render/paths.js';

const Obj = z.record(z.string(), z.unknown());
const ParameterValue = z.object({ name: z.string().min(1), value: z.unknown(), toFieldPaths: z.array(z.string()).nullish() });
const DataInput = z.object({ valueFrom: z.object({ dataOutputName: z.string().min(1) }), toFieldPaths: z.array(z.string()).nullish() });
const DataOutput = z.object({ name: z.string().min(1), fieldPath: z.string() });
const Trait = z.object({
  name: z.string().min(1),
  runtime: z.enum(['pre', 'post']).nullish(),
  spec: Obj.nullish(),
  dataInputs: z.array(DataInput).nullish(),
  dataOutputs: z.array(DataOutput).nullish(),
  parameterValues: z.array(ParameterValue).nullish(),
});
const Component = z.object({
  revisionName: z.string().min(1),
  scopes: z
    .array(z.object({ scopeRef: z.object({ apiVersion: z.string().nullish(), kind: z.string().min(1), name: z.string().nullish(), spec: Obj.nullish() }) }))
    .nullish(),
  parameterValues: z.array(ParameterValue).nullish(),
  dataInputs: z.array(DataInput).nullish(),
  dataOutputs: z.array(DataOutput).nullish(),
  dependencies: z.array(z.object({ component: z.string().min(1), condition: z.string().nullish() })).nullish(),
  traits: z.array(Trait).nullish(),
  clusterId: z.string().nullish(),
  namespaceId: z.string().nullish(),
  stageId: z.string().nullish(),
});
const Step = z.object({
  type: z.string().min(1),
  name: z.string().nullish(),
  stage: z.enum(['pre-render', 'post-render', 'post-deploy']).nullish(),
  properties: Obj.nullish(),
  dependsOn: z.array(z.string()).nullish(),
  inputs: z.array(z.object({ from: z.string().min(1), parameterKey: z.string().min(1) })).nullish(),
  outputs: z.array(z.object({ name: z.string().min(1), valueFrom: z.string().min(1) })).nullish(),
});
const AppConfig = z.object({
  apiVersion: z.literal('core.oam.dev/v1alpha2'),
  kind: z.literal('ApplicationConfiguration'),
  metadata: z.object({ name: z.string().min(1), annotations: z.record(z.string(), z.unknown()).nullish(), labels: z.record(z.string(), z.unknown()).nullish() }),
  spec: z.object({
    parameterValues: z.array(ParameterValue).nullish(),
    components: z.array(Component).nullish(),
    policies: z.array(z.object({ name: z.string().nullish(), type: z.string().min(1), properties: Obj.nullish() })).nullish(),
    workflow: z.object({ steps: z.array(Step).nullish() }).nullish(),
  }),
});

/** SREWorks component types → built-in definition names. */
export const SREWORKS_COMPONENT_TYPES: Record<string, string> = {
  K8S_MICROSERVICE: 'microservice',
  MICROSERVICE: 'microservice',
  K8S_JOB: 'job',
  HELM: 'abm-helm',
  ABM_HELM: 'abm-helm',
  RESOURCE_ADDON: 'resource-addon',
  INTERNAL_ADDON: 'internal-addon',
  CUSTOM_ADDON: 'custom-addon',
  TRAIT_ADDON: 'trait-addon',
  SCRIPT: 'script',
};

/** SREWorks trait names (`<name>.trait.abm.io`) whose semantics match a built-in trait. */
export const SREWORKS_TRAITS: Record<string, string> = {
  service: 'service',
  gateway: 'sreworks-gateway',
  resourceLimit: 'resource',
  affinity: 'affinity',
  configmap: 'storage',
  pvc: 'storage',
  volume: 'storage',
  additionalEnv: 'env',
  systemEnv: 'env',
  ingress: 'gateway',
  networkingIngress: 'gateway',
};

export interface RevisionName {
  componentType: string;
  componentName: string;
  version: string;
  /** addons: `NAME@INSTANCE`. */
  instance?: string;
}

/** `TYPE|NAME|VERSION` (or `TYPE|NAME` in dependencies). `_` as version means "latest". */
export function parseRevisionName(rev: string, where: { document: string; field: string }, requireVersion = true): RevisionName {
  const parts = rev.split('|');
  if (parts.length !== 3 && !(parts.length === 2 && !requireVersion) || parts.some((p) => p.trim() === '')) {
    throw oamInput('OAM_PARSE_REVISION_NAME', `${where.document}: ${where.field}: "${rev}" is not ${requireVersion ? 'TYPE|NAME|VERSION' : 'TYPE|NAME'}`, where);
  }
  const [componentType, full, version = '_'] = parts;
  const rest = full.split('@').slice(1);
  return { componentType, componentName: full, version, instance: rest.length ? rest.join('@') : undefined };
}

export function parseSreworksApplication(doc: unknown, document: string): AppModel {
  const ac = parseWith(AppConfig, doc, document, '');
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(ac.metadata.annotations ?? {})) if (v !== null && v !== undefined) annotations[k] = typeof v === 'string' ? v : JSON.stringify(v);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(ac.metadata.labels ?? {})) if (v !== null && v !== undefined) labels[k] = String(v);

  const globals: Record<string, unknown> = {};
  for (const p of ac.spec.parameterValues ?? []) setGlobal(globals, p.name, p.value);

  const byKey = new Map<string, string>(); // `TYPE|NAME` → model name
  const used = new Set<string>();
  const components: ComponentModel[] = [];
  for (const [i, c] of (ac.spec.components ?? []).entries()) {
    const path = `spec.components[${i}]`;
    const rev = parseRevisionName(c.revisionName, { document, field: `${path}.revisionName` });
    const key = `${rev.componentType}|${rev.componentName}`;
    if (byKey.has(key)) throw oamInput('OAM_PARSE_DUPLICATE', `${document}: component ${key} appears twice`, { document, component: key, field: `${path}.revisionName` });
    let name = k8sName(rev.componentName.split('@')[0]);
    if (used.has(name)) name = k8sName(`${name}-${rev.componentType}`);
    used.add(name);
    byKey.set(key, name);

    const properties: Record<string, unknown> = {};
    const parameterValues = [];
    for (const p of c.parameterValues ?? []) {
      if (p.name.startsWith('Global.')) {
        setGlobal(globals, p.name.slice('Global.'.length), p.value);
        continue;
      }
      const toFieldPaths = p.toFieldPaths ?? [];
      parameterValues.push({ name: p.name, value: p.value, toFieldPaths });
      // A value aimed at the workload spec is a parameter of our definition (validated by its schema).
      for (const fp of toFieldPaths) if (fp.startsWith('spec.')) setPath(properties, fp.slice(5), p.value);
    }
    const seenTraits = new Set<string>();
    const traits: TraitModel[] = (c.traits ?? []).map((t, j) => {
      if (seenTraits.has(t.name))
        throw oamInput('OAM_PARSE_DUPLICATE', `${document}: component ${key} has trait ${t.name} twice`, { document, component: name, trait: t.name, field: `${path}.traits[${j}].name` });
      seenTraits.add(t.name);
      const stage: TraitStage = t.runtime === 'post' ? 'post' : 'pre';
      return {
        type: traitType(t.name),
        sourceName: t.name,
        properties: t.spec ?? {},
        stage,
        path: `${path}.traits[${j}]`,
        dataInputs: (t.dataInputs ?? []).map((d) => ({ from: d.valueFrom.dataOutputName, toFieldPaths: d.toFieldPaths ?? [] })),
        dataOutputs: t.dataOutputs ?? [],
        parameterValues: (t.parameterValues ?? []).map((p) => ({ name: p.name, value: p.value, toFieldPaths: p.toFieldPaths ?? [] })),
      };
    });
    const scopes = (c.scopes ?? []).map((s) => ({ kind: s.scopeRef.kind, name: s.scopeRef.name ?? undefined, apiVersion: s.scopeRef.apiVersion ?? undefined, spec: s.scopeRef.spec ?? undefined }));
    for (const [kind, v] of [['Cluster', c.clusterId], ['Namespace', c.namespaceId], ['Stage', c.stageId]] as const) {
      if (v && !scopes.some((s) => s.kind === kind)) scopes.push({ kind, name: v, apiVersion: undefined, spec: undefined });
    }
    components.push({
      name,
      type: SREWORKS_COMPONENT_TYPES[rev.componentType] ?? rev.componentType.toLowerCase().replace(/_/g, '-'),
      version: undefined,
      properties,
      traits,
      dependsOn: (c.dependencies ?? []).map((d) => ({ component: d.component, condition: d.condition ?? undefined })),
      inputs: [],
      outputs: [],
      scopes,
      path,
      sreworks: {
        revisionName: c.revisionName,
        componentType: rev.componentType,
        componentName: rev.componentName,
        version: rev.version,
        parameterValues,
        dataInputs: (c.dataInputs ?? []).map((d) => ({ from: d.valueFrom.dataOutputName, toFieldPaths: d.toFieldPaths ?? [] })),
        dataOutputs: c.dataOutputs ?? [],
      },
    });
  }
  // Dependencies name `TYPE|NAME`; resolve them to model names now that all are known.
  for (const [i, c] of components.entries()) {
    c.dependsOn = c.dependsOn.map((d, j) => {
      const field = `spec.components[${i}].dependencies[${j}].component`;
      const r = parseRevisionName(d.component.split('|').length === 3 ? d.component : `${d.component}|_`, { document, field });
      const target = byKey.get(`${r.componentType}|${r.componentName}`);
      if (!target)
        throw oamInput('OAM_PLAN_UNKNOWN_REF', `${document}: ${field}: component ${d.component} is not in this application`, { document, component: c.name, field });
      return { component: target, condition: d.condition };
    });
  }

  const policies = (ac.spec.policies ?? []).map((p, i) => ({
    name: p.name ?? `${p.type}-${i}`,
    type: p.type,
    properties: mapPolicyComponents(p.properties ?? {}, byKey),
    path: `spec.policies[${i}]`,
  }));
  const rawSteps = ac.spec.workflow?.steps ?? [];
  const names = new Set<string>();
  const steps: StepModel[] = rawSteps.map((s, i) => {
    let n = s.name ?? `${s.type}-${i}`;
    if (names.has(n)) n = `${n}-${i}`;
    names.add(n);
    return {
      name: n,
      type: s.type,
      properties: s.properties ?? {},
      dependsOn: s.dependsOn ?? [],
      inputs: s.inputs ?? [],
      outputs: s.outputs ?? [],
      stage: s.stage ?? undefined,
      subSteps: [],
      path: `spec.workflow.steps[${i}]`,
    };
  });
  // SREWorks runs steps one by one unless they are linked by inputs/outputs (reference §2.7).
  const dag = steps.some((s) => s.inputs.length > 0 || s.outputs.length > 0);
  return {
    source: 'sreworks',
    document,
    name: annotations.appId && !annotations.appId.includes('{{') ? annotations.appId : ac.metadata.name,
    namespace: annotations.namespaceId && !annotations.namespaceId.includes('{{') ? annotations.namespaceId : undefined,
    labels,
    annotations,
    components,
    policies,
    workflow: steps.length ? { mode: { steps: dag ? 'DAG' : 'StepByStep', subSteps: 'DAG' }, steps } : undefined,
    globals,
  };
}

/** `service.trait.abm.io` → `service`; the name after mapping to a built-in where one matches. */
export function traitType(sourceName: string): string {
  const short = sourceName.replace(/\.trait\.(abm|sreworks)\.io(\/.*)?$/, '');
  return SREWORKS_TRAITS[short] ?? short.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Override policies name components by revisionName; add the model name beside it. */
function mapPolicyComponents(props: Record<string, unknown>, byKey: Map<string, string>): Record<string, unknown> {
  if (!Array.isArray(props.components)) return props;
  return {
    ...props,
    components: props.components.map((c: any) => {
      if (!c || typeof c !== 'object' || typeof c.revisionName !== 'string') return c;
      const parts = c.revisionName.split('|');
      const name = byKey.get(`${parts[0]}|${parts[1]}`);
      return name ? { ...c, name } : c;
    }),
  };
}

function setGlobal(globals: Record<string, unknown>, name: string, value: unknown): void {
  setPath(globals, name, value);
}

/** A DNS-1123 label from a SREWorks name (`system-env`, `helm-demo-chart`). */
export function k8sName(s: string): string {
  const n = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return n || 'component';
}
