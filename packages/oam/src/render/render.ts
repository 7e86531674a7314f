// Render: application + environment → Kubernetes objects, per component, with provenance.
// The pipeline follows KubeVela's contract: select the environment's policies → apply overrides →
// per component in dependency order: properties (+ inputs) → parameter schema → template render
// (output + outputs) → traits by stage (patch / outputs / patchOutputs) → labels → outputs for
// later components; then every object is validated against the Kubernetes OpenAPI schema.
import { loadSandbox, type SandboxHost } from '@sreworks/sandbox';
import type { AppModel, ComponentModel, TraitModel, TraitStage } from '../model/model.js';
import type { DefinitionRegistry } from '../definitions/registry.js';
import { DefinitionRuntime, describe, type CompiledDefinition } from '../definitions/runtime.js';
import { workloadType, type Definition } from '../definitions/types.js';
import { oamInput, oamTemplate, type OamErrorWhere } from '../errors.js';
import { planApp, type Plan } from '../plan/plan.js';
import { describeWorkflow, type StepDescription } from '../plan/workflow.js';
import { JinjaEngine, hasJinja } from './jinja.js';
import { clone, jsonMergePatch, jsonPatch, strategicMerge, type JsonPatchOp } from './patch.js';
import { getPath, setPath } from './paths.js';
import { applyOverrides, placementGroups, resolveTopology, selectPolicies, type Topology } from './policies.js';
import { CLUSTER_SCOPED_KINDS, loadValidators, validateObject } from './validate.js';

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown }; [k: string]: unknown };

export interface RenderEnv {
  /** environment name: a deploy step or topology policy of the app (KubeVela), or a stage name. */
  name?: string;
  namespace?: string;
  cluster?: string;
  /** SREWorks stage (dev, prod). */
  stage?: string;
  appRevision?: string;
  appRevisionNum?: number;
  publishVersion?: string;
  clusterVersion?: { major: string; minor: string; gitVersion: string; platform?: string };
  /** SREWorks global parameters overriding the document's (`Global.X`). */
  globals?: Record<string, unknown>;
  /** values for SREWorks `{{ options.X }}` templates. */
  options?: Record<string, unknown>;
}

export interface RenderedObject {
  object: K8sObject;
  component: string;
  /** trait type that produced (or last patched, for the workload) this object. */
  trait?: string;
  /** `outputs` key. */
  resourceKey?: string;
  role: 'workload' | 'auxiliary' | 'trait' | 'policy';
  /** dispatch stage: pre objects go before the workload, post ones after it is healthy. */
  stage: TraitStage;
  /** references an existing object (ref-objects): read, never applied. */
  reference?: boolean;
  /** workload: the traits that patched it, in order. */
  patchedBy?: string[];
  /** false when no OpenAPI model exists for the kind (custom resources). */
  validated: boolean;
  /** the cluster this copy goes to (topology placement, or a SREWorks Cluster scope). */
  cluster?: string;
  /** the deploy step that places it, when the app's deploy steps name policies. */
  step?: string;
}

/** One copy of the app for one cluster of one deploy step. */
export interface RenderedPlacement {
  step?: string;
  cluster: string;
  namespace: string;
  /** override policies applied to this copy, in order. */
  overrides: string[];
  components: RenderedComponent[];
}

export interface HealthResult {
  healthy: boolean;
  message: string;
  details: Record<string, string>;
  traits: { type: string; healthy: boolean; message: string; details: Record<string, string> }[];
}

export interface LiveState {
  /** the live primary object; defaults to the rendered one. */
  output?: Record<string, unknown> | null;
  /** live auxiliary objects by outputs key (component outputs and trait outputs). */
  outputs?: Record<string, Record<string, unknown>>;
}

export interface RenderedComponent {
  name: string;
  type: string;
  definition: { name: string; version: string };
  traits: { type: string; version: string; stage: TraitStage }[];
  namespace: string;
  cluster: string;
  /** the rendered primary object (after trait patches), or null for workload-less components. */
  workload: K8sObject | null;
  objects: RenderedObject[];
  /** values this component exports (KubeVela outputs, SREWorks dataOutputs). */
  outputs: Record<string, unknown>;
  /** inputs that could not be resolved offline (their producer's value is only known live). */
  pendingInputs: string[];
  /** health and custom status from the definitions' status expressions (sandboxed). */
  health(live?: LiveState): HealthResult;
}

export interface RenderResult {
  app: string;
  source: AppModel['source'];
  env?: string;
  environments: string[];
  namespace: string;
  cluster: string;
  topology: Topology;
  /** the first placement's components (what a single-cluster app renders). */
  components: RenderedComponent[];
  /** every (deploy step ×) cluster the app is rendered for, in dispatch order. */
  placements: RenderedPlacement[];
  /** every object, in dispatch order (components in plan order; pre, workload, post). */
  objects: RenderedObject[];
  /** policies the executor interprets (garbage-collect, shared-resource, apply-once…). */
  policies: { name: string; type: string; properties: Record<string, unknown> }[];
  /** every definition version used, for the revision snapshot. */
  definitions: { kind: string; name: string; version: string }[];
  plan: Plan;
  /** the workflow steps with their definitions and validated properties (empty without a workflow). */
  steps: StepDescription[];
}

export interface RenderOptions {
  registry: DefinitionRegistry;
  env?: RenderEnv;
  /** compiled-definition cache and sandbox; one per registry is made when absent. */
  engine?: RenderEngine;
  /** validate against the Kubernetes OpenAPI schema (default true). */
  validate?: boolean;
}

/** Holds what is expensive to build: compiled definitions (once per version) and the Jinja module. */
export class RenderEngine {
  readonly runtime: DefinitionRuntime;
  readonly jinja: JinjaEngine;
  constructor(readonly sandbox: SandboxHost) {
    this.runtime = new DefinitionRuntime({ sandbox });
    this.jinja = new JinjaEngine(sandbox);
  }
  static async create(): Promise<RenderEngine> {
    return new RenderEngine(await loadSandbox());
  }
  dispose(): void {
    this.runtime.dispose();
    this.jinja.dispose();
  }
}

const engines = new WeakMap<DefinitionRegistry, Promise<RenderEngine>>();

export async function renderApp(app: AppModel, opts: RenderOptions): Promise<RenderResult> {
  let engine = opts.engine;
  if (!engine) {
    let p = engines.get(opts.registry);
    if (!p) engines.set(opts.registry, (p = RenderEngine.create()));
    engine = await p;
  }
  return new AppRenderer(app, opts, engine).run();
}

const STAGE_ORDER: Record<TraitStage, number> = { pre: 0, default: 1, post: 2 };

class AppRenderer {
  private readonly env: RenderEnv;
  private readonly defs = new Map<string, Definition>();
  private readonly exportsMap = new Map<string, unknown>();
  private globals: Record<string, unknown> = {};
  private options: Record<string, unknown> = {};

  constructor(
    private readonly app: AppModel,
    private readonly opts: RenderOptions,
    private readonly engine: RenderEngine,
  ) {
    this.env = opts.env ?? {};
  }

  private where(extra: OamErrorWhere = {}): OamErrorWhere {
    return { document: this.app.document, ...extra };
  }

  private async def(kind: 'component' | 'trait' | 'policy', name: string, version: string | undefined, where: OamErrorWhere): Promise<Definition> {
    const key = `${kind}/${name}@${version ?? ''}`;
    const hit = this.defs.get(key);
    if (hit) return hit;
    try {
      const d = await this.opts.registry.resolve(kind, name, version);
      this.defs.set(key, d);
      return d;
    } catch (e: any) {
      const code = e?.code === 'OAM_DEF_DISABLED' ? 'OAM_DEF_DISABLED' : 'OAM_DEF_NOT_FOUND';
      throw oamInput(code, `${describe(where)}: ${e?.message ?? e}`, { ...where, definition: version ? `${name}@${version}` : name }, e);
    }
  }

  async run(): Promise<RenderResult> {
    const app = this.app;
    const sel = selectPolicies(app, this.env.name);
    const topology = resolveTopology(sel.policies);
    const swNamespace = app.source === 'sreworks' ? plainString(app.annotations.namespaceId) ?? plainString(app.globals.NAMESPACE_ID) : undefined;

    // One copy of the components per (deploy step × cluster its topology selects), each with the
    // step's overrides and its own context.cluster.
    const groups = placementGroups(app, this.env.name, sel).map((g) => {
      const t = resolveTopology(g.policies);
      // A cluster named by an unrendered template (`{{ Global.CLUSTER_ID }}`) means "the environment's".
      const named = t.clusters.filter((c) => !hasJinja(c));
      return {
        ...g,
        topology: t,
        namespace: this.env.namespace ?? t.namespace ?? app.namespace ?? swNamespace ?? 'default',
        clusters: named.length ? named : [this.env.cluster ?? 'local'],
        stage: this.env.stage ?? t.stage ?? (app.source === 'sreworks' ? (plainString(app.annotations.stageId) ?? '') : ''),
        components: applyOverrides(app, g.policies),
        overrides: g.policies.filter((p) => p.type === 'override').map((p) => p.name),
      };
    });

    // Definitions first: trait stages decide the plan.
    for (const g of groups) {
      for (const c of g.components) {
        await this.def('component', c.type, c.version, this.where({ component: c.name, field: `${c.path}.type` }));
        for (const t of c.traits) await this.def('trait', t.type, t.version, this.where({ component: c.name, trait: t.type, field: `${t.path}.type` }));
      }
    }
    // The plan covers every component and trait any step deploys (overrides may add traits or
    // select components per step).
    const merged = mergeComponents(groups.map((g) => g.components));
    const model: AppModel = { ...app, components: merged };
    const plan = planApp(model, { traitStage: (c, t) => this.defs.get(`trait/${t}@${c.traits.find((x) => x.type === t)?.version ?? ''}`)?.stage });

    const placements: RenderedPlacement[] = [];
    for (const g of groups) {
      for (const cluster of g.clusters) {
        const components = this.renderPlacement(g.components, plan.componentOrder, g.namespace, cluster, g.stage);
        for (const c of components) for (const o of c.objects) Object.assign(o, { cluster: c.cluster, ...(g.step ? { step: g.step } : {}) });
        placements.push({ ...(g.step ? { step: g.step } : {}), cluster, namespace: g.namespace, overrides: g.overrides, components });
      }
    }
    const first = placements[0]!;
    const namespace = first.namespace;
    const cluster = first.cluster;

    // Policies: validate their properties; a policy definition with a template may emit objects.
    const policies: RenderResult['policies'] = [];
    const policyObjects: RenderedObject[] = [];
    const applied = new Set(groups.flatMap((g) => g.policies));
    for (const p of app.policies) {
      const d = await this.def('policy', p.type, undefined, this.where({ field: `${p.path}.type` }));
      const c = this.engine.runtime.compile(d);
      const props = clone(p.properties);
      if (app.source !== 'sreworks') c.validate(props, { ...this.where(), base: `${p.path}.properties` });
      policies.push({ name: p.name, type: p.type, properties: props });
      if (c.module && applied.has(p)) {
        const r = this.engine.runtime.render(c, { parameter: props, context: { appName: app.name, namespace, cluster, policyName: p.name, policyType: p.type } }, this.where({ field: p.path }));
        for (const [key, obj] of Object.entries((r.outputs as Record<string, unknown>) ?? {})) {
          const o = this.asObject(obj, this.where({ field: `${p.path}: outputs.${key}` }));
          this.stamp(o, { component: '', namespace, resourceType: 'TRAIT', traitType: p.type, resourceKey: key });
          policyObjects.push({ object: o, component: '', trait: p.type, resourceKey: key, role: 'policy', stage: 'pre', validated: false, cluster });
        }
      }
    }

    const steps = await describeWorkflow(app, this.opts.registry, this.engine.runtime);
    for (const s of steps.flatMap((x) => [x, ...x.subSteps])) this.defs.set(`workflow-step/${s.type}@`, await this.opts.registry.resolve('workflow-step', s.type));
    const objects = [...policyObjects, ...placements.flatMap((pl) => pl.components.flatMap((c) => c.objects))];
    if (this.opts.validate !== false) {
      await loadValidators(objects.filter((o) => !o.reference).map((o) => o.object));
      for (const o of objects) {
        if (o.reference) continue;
        o.validated = validateObject(o.object, this.where({ component: o.component || undefined, trait: o.trait })).validated;
      }
    }
    const definitions = [...new Map([...this.defs.values()].map((d) => [`${d.kind}/${d.name}@${d.version}`, { kind: d.kind, name: d.name, version: d.version }])).values()];
    return { app: app.name, source: app.source, env: sel.env, environments: sel.environments, namespace, cluster, topology, components: first.components, placements, objects, policies, definitions, plan, steps };
  }

  /** Render the components for one cluster: context.cluster, SREWorks globals and exports are per placement. */
  private renderPlacement(components: ComponentModel[], order: string[], namespace: string, cluster: string, stage: string): RenderedComponent[] {
    const app = this.app;
    this.exportsMap.clear();
    if (app.source === 'sreworks') {
      const defaults: Record<string, unknown> = { CLUSTER_ID: cluster, NAMESPACE_ID: namespace, STAGE_ID: stage, APP_ID: app.name };
      this.globals = { ...app.globals };
      for (const [k, v] of Object.entries(defaults)) if (this.globals[k] === undefined || this.globals[k] === '') this.globals[k] = v;
      this.globals = jsonMergePatch(this.globals, this.env.globals ?? {});
      // Annotations that are themselves templates (`clusterId: '{{ options.clusterId }}'`) do not override.
      const plainAnnotations = Object.fromEntries(Object.entries(app.annotations).filter(([, v]) => plainString(v) !== undefined));
      this.options = { appId: app.name, clusterId: cluster, namespaceId: namespace, stageId: stage, ...plainAnnotations, ...this.env.options };
      // Global values may themselves be templates over other globals (`{{Global.STAGE_ID}}-mysql`).
      for (let pass = 0; pass < 3; pass++) {
        const next = this.jinja(this.globals, this.where({ field: 'spec.parameterValues' }));
        if (JSON.stringify(next) === JSON.stringify(this.globals)) break;
        this.globals = next;
      }
    }
    const byName = new Map(components.map((c) => [c.name, c]));
    const rendered: RenderedComponent[] = [];
    for (const name of order) {
      const c = byName.get(name);
      if (c) rendered.push(this.renderComponent(c, namespace, cluster, components));
    }
    return rendered;
  }

  private asObject(v: unknown, where: OamErrorWhere): K8sObject {
    if (!v || typeof v !== 'object' || Array.isArray(v) || typeof (v as any).apiVersion !== 'string' || typeof (v as any).kind !== 'string')
      throw oamTemplate('OAM_RENDER_OUTPUT', `${describe(where)}: not a Kubernetes object (needs apiVersion and kind)`, where);
    const o = v as K8sObject;
    if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {} as K8sObject['metadata'];
    return o;
  }

  private jinja<T>(value: T, where: OamErrorWhere, scope?: Record<string, unknown>): T {
    if (this.app.source !== 'sreworks') return value;
    return this.engine.jinja.renderDeep(value, scope ?? { Global: this.globals, options: this.options }, where);
  }

  private lookup(name: string): unknown {
    if (this.exportsMap.has(name)) return this.exportsMap.get(name);
    if (name.startsWith('Global.')) return getPath(this.globals, name.slice(7));
    return undefined;
  }

  private renderComponent(c: ComponentModel, appNamespace: string, appCluster: string, all: ComponentModel[]): RenderedComponent {
    const app = this.app;
    const runtime = this.engine.runtime;
    const cw = this.where({ component: c.name });
    const def = this.defs.get(`component/${c.type}@${c.version ?? ''}`)!;
    const compiled = runtime.compile(def);
    const sw = c.sreworks;

    // Scopes (SREWorks) may move one component to another namespace/cluster.
    let namespace = appNamespace;
    let cluster = appCluster;
    for (const s of c.scopes) {
      const name = s.name ? this.jinja(s.name, cw) : '';
      if (!name) continue;
      if (s.kind === 'Namespace') namespace = name;
      if (s.kind === 'Cluster') cluster = name;
    }

    const properties = this.jinja(clone(c.properties), { ...cw, field: `${c.path}.properties` });
    const pendingInputs: string[] = [];
    for (const inp of c.inputs) {
      const v = this.lookup(inp.from);
      if (v === undefined) pendingInputs.push(inp.from);
      else setPath(properties, inp.parameterKey.replace(/^properties\./, ''), clone(v));
    }
    const fieldWrites: { path: string; value: unknown }[] = [];
    if (sw) {
      for (const pv of sw.parameterValues) {
        const value = this.jinja(clone(pv.value), { ...cw, field: `${c.path}.parameterValues(${pv.name})` });
        // `spec.X` paths are parameters of the definition (its template maps them into the
        // workload); other paths (metadata.labels…) are written into the rendered workload.
        for (const fp of pv.toFieldPaths) {
          if (fp.startsWith('spec.')) setPath(properties, fp.slice(5), clone(value));
          else fieldWrites.push({ path: fp, value });
        }
      }
      for (const di of sw.dataInputs) {
        const v = this.lookup(di.from);
        if (v === undefined) {
          pendingInputs.push(di.from);
          continue;
        }
        for (const fp of di.toFieldPaths) {
          if (fp.startsWith('spec.')) setPath(properties, fp.slice(5), clone(v));
          else fieldWrites.push({ path: fp, value: v });
        }
      }
    }
    compiled.validate(properties, { ...cw, base: sw ? `${c.path}.parameterValues→spec` : `${c.path}.properties` });

    const appRevisionNum = this.env.appRevisionNum ?? 1;
    const context: Record<string, unknown> = {
      name: c.name,
      appName: app.name,
      namespace,
      cluster,
      appRevision: this.env.appRevision ?? `${app.name}-v${appRevisionNum}`,
      appRevisionNum,
      revision: `${c.name}-v${appRevisionNum}`,
      appLabels: app.labels,
      appAnnotations: app.annotations,
      publishVersion: this.env.publishVersion ?? app.annotations['app.oam.dev/publishVersion'] ?? '',
      componentType: c.type,
      clusterVersion: this.env.clusterVersion ?? { major: '1', minor: '29', gitVersion: 'v1.29.0' },
      components: all.map((x) => x.name),
      replicaKey: '',
      ...(sw ? { sreworks: { revisionName: sw.revisionName, componentType: sw.componentType, componentName: sw.componentName, version: sw.version, stageId: this.globals.STAGE_ID } } : {}),
    };
    const r = runtime.render(compiled, { parameter: properties, context }, { ...cw, field: c.path });
    let workload: K8sObject | null = r.output === null || r.output === undefined ? null : this.asObject(r.output, { ...cw, field: 'output' });
    if (workload) {
      for (const w of fieldWrites) setPath(workload as Record<string, unknown>, w.path, clone(w.value));
      if (!workload.metadata.name) workload.metadata.name = c.name;
    }
    const auxiliaries: { key: string; object: K8sObject; reference?: boolean }[] = [];
    for (const [key, o] of Object.entries((r.outputs as Record<string, unknown>) ?? {})) {
      if (o === null || o === undefined) continue;
      const obj = this.asObject(o, { ...cw, field: `outputs.${key}` });
      auxiliaries.push({ key, object: obj, reference: obj.metadata.annotations?.['app.oam.dev/ref-object'] === 'true' });
    }

    // Traits by stage, declaration order within a stage.
    const traitDefs = c.traits.map((t) => ({ t, d: this.defs.get(`trait/${t.type}@${t.version ?? ''}`)! }));
    const ordered = traitDefs
      .map((x, i) => ({ ...x, i, stage: (x.t.stage ?? x.d.stage) as TraitStage }))
      .sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || a.i - b.i);
    const traitObjects: { key: string; object: K8sObject; trait: string; stage: TraitStage }[] = [];
    const traitHealth: { t: TraitModel; d: Definition; compiled: CompiledDefinition; parameter: Record<string, unknown>; keys: string[] }[] = [];
    const patchedBy: string[] = [];
    for (const { t, d, stage } of ordered) {
      const tw = this.where({ component: c.name, trait: t.type });
      this.checkApplies(d, def, workload, c, t, tw);
      for (const other of c.traits)
        if (other !== t && d.conflictsWith.includes(other.type))
          throw oamInput('OAM_RENDER_TRAIT_CONFLICT', `${describe(tw)}: conflicts with trait ${other.type}`, { ...tw, field: `${t.path}.type`, conflictsWith: other.type });
      const tc = runtime.compile(d);
      const props = this.jinja(clone(t.properties), { ...tw, field: `${t.path}.properties` });
      for (const pv of t.parameterValues) for (const fp of pv.toFieldPaths) setPath(props, fp.replace(/^spec\./, ''), this.jinja(clone(pv.value), tw));
      for (const di of t.dataInputs) {
        const v = this.lookup(di.from);
        if (v === undefined) pendingInputs.push(di.from);
        else for (const fp of di.toFieldPaths) setPath(props, fp.replace(/^spec\./, ''), clone(v));
      }
      tc.validate(props, { ...tw, base: sw ? `${t.path}.spec` : `${t.path}.properties` });
      const outputsView: Record<string, unknown> = {};
      for (const a of auxiliaries) outputsView[a.key] = a.object;
      for (const o of traitObjects) outputsView[o.key] = o.object;
      const tr = runtime.render(tc, { parameter: props, context: { ...context, output: workload, outputs: outputsView, traitType: t.type } }, { ...tw, field: t.path });
      const patched = this.applyPatches(workload, tr, tw, t.path);
      if (patched !== workload) patchedBy.push(t.type);
      workload = patched;
      for (const [key, patch] of Object.entries((tr.patchOutputs as Record<string, unknown>) ?? {})) {
        const target = auxiliaries.find((a) => a.key === key) ?? traitObjects.find((o) => o.key === key);
        if (!target) throw oamInput('OAM_RENDER_PATCH', `${describe(tw)}: patchOutputs.${key}: no output named "${key}"`, { ...tw, field: `patchOutputs.${key}` });
        target.object = strategicMerge(target.object, patch, (tr.patchKeys as Record<string, string>) ?? {});
      }
      const keys: string[] = [];
      for (const [key, o] of Object.entries((tr.outputs as Record<string, unknown>) ?? {})) {
        if (o === null || o === undefined) continue;
        const obj = this.asObject(o, { ...tw, field: `outputs.${key}` });
        if (!obj.metadata.name) throw oamTemplate('OAM_RENDER_OUTPUT', `${describe(tw)}: outputs.${key} has no metadata.name`, { ...tw, field: `outputs.${key}.metadata.name` });
        // Default-stage trait objects the workload needs (ConfigMap, PVC…) go before it, others after.
        traitObjects.push({ key, object: obj, trait: t.type, stage: stage === 'default' ? (PRE_KINDS.has(obj.kind) ? 'pre' : 'post') : stage });
        keys.push(key);
      }
      traitHealth.push({ t, d, compiled: tc, parameter: props, keys });
    }

    // Labels, names, namespaces.
    const objects: RenderedObject[] = [];
    const labelBase = { component: c.name, namespace };
    for (const a of auxiliaries) {
      this.stamp(a.object, { ...labelBase, resourceType: 'TRAIT', traitType: 'AuxiliaryWorkload', resourceKey: a.key });
      if (a.reference) objects.push({ object: a.object, component: c.name, resourceKey: a.key, role: 'auxiliary', stage: 'pre', reference: true, validated: false });
    }
    const nonRef = auxiliaries.filter((a) => !a.reference);
    // Auxiliary objects of a component go before the workload when they are configuration it mounts.
    for (const a of nonRef.filter((x) => PRE_KINDS.has(x.object.kind))) objects.push({ object: a.object, component: c.name, resourceKey: a.key, role: 'auxiliary', stage: 'pre', validated: false });
    for (const o of traitObjects.filter((x) => x.stage === 'pre')) {
      this.stamp(o.object, { ...labelBase, resourceType: 'TRAIT', traitType: o.trait, resourceKey: o.key });
      objects.push({ object: o.object, component: c.name, trait: o.trait, resourceKey: o.key, role: 'trait', stage: 'pre', validated: false });
    }
    if (workload) {
      this.stamp(workload, { ...labelBase, resourceType: 'WORKLOAD', workloadType: c.type });
      objects.push({ object: workload, component: c.name, role: 'workload', stage: 'default', validated: false, ...(patchedBy.length ? { patchedBy } : {}) });
    }
    for (const a of nonRef.filter((x) => !PRE_KINDS.has(x.object.kind))) objects.push({ object: a.object, component: c.name, resourceKey: a.key, role: 'auxiliary', stage: 'default', validated: false });
    for (const o of traitObjects.filter((x) => x.stage !== 'pre')) {
      this.stamp(o.object, { ...labelBase, resourceType: 'TRAIT', traitType: o.trait, resourceKey: o.key });
      objects.push({ object: o.object, component: c.name, trait: o.trait, resourceKey: o.key, role: 'trait', stage: 'post', validated: false });
    }

    for (const o of objects) o.object = orderKeys(o.object);
    if (workload) workload = objects.find((o) => o.role === 'workload')!.object;

    // Exports for later components.
    const outputs: Record<string, unknown> = {};
    const view = { output: workload, outputs: Object.fromEntries([...auxiliaries.map((a) => [a.key, a.object]), ...traitObjects.map((o) => [o.key, o.object])]), context, parameter: properties };
    for (const o of c.outputs) {
      const path = /^(output|outputs|context|parameter)\b/.test(o.valueFrom) ? o.valueFrom : `output.${o.valueFrom}`;
      outputs[o.name] = getPath(view, path);
    }
    if (sw) {
      const base = workload ?? { spec: properties };
      for (const o of sw.dataOutputs) outputs[o.name] = hasJinja(o.fieldPath) ? this.jinja(o.fieldPath, { ...cw, field: `${c.path}.dataOutputs(${o.name})` }, base) : getPath(base, o.fieldPath);
      for (const { t, parameter } of traitHealth) for (const o of t.dataOutputs) outputs[o.name] = hasJinja(o.fieldPath) ? this.jinja(o.fieldPath, cw, { spec: parameter }) : getPath({ spec: parameter }, o.fieldPath);
    }
    for (const [k, v] of Object.entries(outputs)) {
      this.exportsMap.set(k, v);
      if (k.startsWith('Global.') && v !== undefined) setPath(this.globals, k.slice(7), v);
    }

    const parameter = properties;
    const rendered = workload;
    return {
      name: c.name,
      type: c.type,
      definition: { name: def.name, version: def.version },
      traits: ordered.map((x) => ({ type: x.t.type, version: x.d.version, stage: x.stage })),
      namespace,
      cluster,
      workload,
      objects,
      outputs,
      pendingInputs,
      health: (live: LiveState = {}) => {
        const liveOutputs = live.outputs ?? {};
        const out = live.output === undefined ? rendered : live.output;
        const evalOne = (cd: CompiledDefinition, p: Record<string, unknown>, ctxOutputs: Record<string, unknown>) => {
          const m = cd.health();
          if (!m) return { healthy: true, message: '', details: {} };
          try {
            const h = m.call('health', { ...context, output: out ?? {}, outputs: ctxOutputs }, p) as { isHealth: boolean; message: string; details: Record<string, string> };
            return { healthy: h.isHealth, message: h.message, details: h.details ?? {} };
          } catch (e) {
            return { healthy: false, message: `status expression failed: ${(e as Error).message}`, details: {} };
          }
        };
        const main = evalOne(compiled, parameter, liveOutputs);
        const traits = traitHealth.map(({ t, compiled: tc, parameter: tp, keys }) => {
          const own: Record<string, unknown> = {};
          for (const k of keys) if (liveOutputs[k]) own[k] = liveOutputs[k];
          return { type: t.type, ...evalOne(tc, tp, { ...liveOutputs, ...own }) };
        });
        return { healthy: main.healthy && traits.every((t) => t.healthy), message: main.message, details: main.details, traits };
      },
    };
  }

  private checkApplies(d: Definition, compDef: Definition, workload: K8sObject | null, c: ComponentModel, t: TraitModel, where: OamErrorWhere): void {
    const list = d.appliesToWorkloads;
    if (list.length === 0 || list.includes('*')) return;
    const wt = workload ? workloadType(workload.apiVersion, workload.kind) : undefined;
    const candidates = [compDef.name, c.type, wt, compDef.workload?.type, workload?.kind?.toLowerCase()].filter(Boolean) as string[];
    if (candidates.some((x) => list.includes(x))) return;
    throw oamInput(
      'OAM_RENDER_TRAIT_NOT_APPLICABLE',
      `${describe(where)}: trait ${d.name} applies to ${list.join(', ')}, not to ${c.type}${wt ? ` (${wt})` : ' (no workload)'}`,
      { ...where, field: `${t.path}.type`, appliesToWorkloads: list },
    );
  }

  private applyPatches(workload: K8sObject | null, tr: Record<string, unknown>, where: OamErrorWhere, path: string): K8sObject | null {
    const has = tr.patch !== undefined || tr.jsonMergePatch !== undefined || tr.jsonPatch !== undefined;
    if (!has) return workload;
    if (!workload) throw oamInput('OAM_RENDER_PATCH', `${describe(where)}: the trait patches the workload, but the component renders none`, { ...where, field: path });
    let w: any = workload;
    if (tr.patch !== undefined) {
      if (!tr.patch || typeof tr.patch !== 'object' || Array.isArray(tr.patch)) throw oamInput('OAM_RENDER_PATCH', `${describe(where)}: patch must be an object`, { ...where, field: `${path}: patch` });
      w = strategicMerge(w, tr.patch, (tr.patchKeys as Record<string, string>) ?? {});
    }
    if (tr.jsonMergePatch !== undefined) w = jsonMergePatch(w, tr.jsonMergePatch);
    if (tr.jsonPatch !== undefined) {
      if (!Array.isArray(tr.jsonPatch)) throw oamInput('OAM_RENDER_PATCH', `${describe(where)}: jsonPatch must be a list of operations`, { ...where, field: `${path}: jsonPatch` });
      w = jsonPatch(w, tr.jsonPatch as JsonPatchOp[], { ...where, field: `${path}: jsonPatch` });
    }
    if (!w || typeof w !== 'object' || typeof w.apiVersion !== 'string' || typeof w.kind !== 'string')
      throw oamInput('OAM_RENDER_PATCH', `${describe(where)}: the patch removed apiVersion or kind from the workload`, { ...where, field: path });
    return w as K8sObject;
  }

  private stamp(
    o: K8sObject,
    l: { component: string; namespace: string; resourceType: 'WORKLOAD' | 'TRAIT'; workloadType?: string; traitType?: string; resourceKey?: string },
  ): void {
    const app = this.app;
    const labels: Record<string, string> = { ...(o.metadata.labels ?? {}) };
    labels['app.oam.dev/name'] = labelValue(app.name);
    labels['app.oam.dev/namespace'] = labelValue(app.namespace ?? 'default');
    if (l.component) labels['app.oam.dev/component'] = labelValue(l.component);
    labels['app.oam.dev/appRevision'] = labelValue(this.env.appRevision ?? `${app.name}-v${this.env.appRevisionNum ?? 1}`);
    labels['app.oam.dev/resourceType'] = l.resourceType;
    if (this.env.name) labels['app.oam.dev/env'] = labelValue(this.env.name);
    if (l.workloadType) labels['workload.oam.dev/type'] = labelValue(l.workloadType);
    if (l.traitType) labels['trait.oam.dev/type'] = labelValue(l.traitType);
    if (l.resourceKey) labels['trait.oam.dev/resource'] = labelValue(l.resourceKey);
    o.metadata.labels = labels;
    if (!o.metadata.namespace && !CLUSTER_SCOPED_KINDS.has(o.kind)) o.metadata.namespace = l.namespace;
  }
}

/** Components of every placement group by name, each with the union of its traits (for the plan). */
function mergeComponents(lists: ComponentModel[][]): ComponentModel[] {
  if (lists.length === 1) return lists[0]!;
  const out: ComponentModel[] = [];
  const at = new Map<string, ComponentModel>();
  for (const list of lists) {
    for (const c of list) {
      const have = at.get(c.name);
      if (!have) {
        const copy = { ...c, traits: [...c.traits] };
        at.set(c.name, copy);
        out.push(copy);
      } else for (const t of c.traits) if (!have.traits.some((x) => x.type === t.type)) have.traits.push(t);
    }
  }
  return out;
}

function plainString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && !hasJinja(v) ? v : undefined;
}

/** apiVersion, kind, metadata (name, namespace, labels, annotations, …) first: stable, readable output. */
function orderKeys(o: K8sObject): K8sObject {
  const { apiVersion, kind, metadata, ...rest } = o;
  const { name, namespace, labels, annotations, ...mrest } = metadata;
  const md: K8sObject['metadata'] = { name };
  if (namespace !== undefined) md.namespace = namespace;
  if (labels !== undefined) md.labels = labels;
  if (annotations !== undefined) md.annotations = annotations;
  return { apiVersion, kind, metadata: Object.assign(md, mrest), ...rest };
}

const PRE_KINDS = new Set(['ConfigMap', 'Secret', 'PersistentVolumeClaim', 'ServiceAccount', 'Namespace', 'CustomResourceDefinition', 'HelmRepository', 'GitRepository', 'OCIRepository']);

/** A valid label value (63 chars of [A-Za-z0-9-_.], alphanumeric at both ends). */
export function labelValue(v: string): string {
  const s = v.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return s;
}
