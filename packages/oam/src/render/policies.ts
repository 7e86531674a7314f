// Policies that change what is rendered: which environment (deploy step or topology policy) is
// rendered, topology (clusters, namespace) and override (per-component properties and traits,
// KubeVela and SREWorks flavours). The rest (garbage-collect, shared-resource, apply-once…) pass
// through to the executor unchanged.
import type { AppModel, ComponentModel, PolicyModel, StepModel } from '../model/model.js';
import { oamInput } from '../errors.js';
import { jsonMergePatch, clone } from './patch.js';
import { setPath } from './paths.js';

export interface Topology {
  clusters: string[];
  clusterLabelSelector?: Record<string, string>;
  namespace?: string;
  stage?: string;
  allowEmpty: boolean;
}

export interface PolicySelection {
  /** the environment rendered: a deploy step name, a topology policy name, or undefined. */
  env?: string;
  policies: PolicyModel[];
  /** environments the app offers (deploy steps, else topology policies). */
  environments: string[];
}

const DEPLOY_TYPES = new Set(['deploy', 'deploy2env', 'apply-components', 'apply-component']);

function allSteps(steps: StepModel[]): StepModel[] {
  return steps.flatMap((s) => [s, ...allSteps(s.subSteps)]);
}

function stepPolicies(app: AppModel, step: StepModel): PolicyModel[] {
  const names = Array.isArray(step.properties.policies) ? (step.properties.policies as unknown[]) : [];
  return names.map((n, i) => {
    const p = app.policies.find((x) => x.name === n);
    if (!p)
      throw oamInput('OAM_RENDER_POLICY', `${app.document}: step "${step.name}" uses policy "${String(n)}", which is not in spec.policies`, {
        document: app.document,
        step: step.name,
        field: `${step.path}.properties.policies[${i}]`,
      });
    return p;
  });
}

export function selectPolicies(app: AppModel, envName: string | undefined): PolicySelection {
  const steps = allSteps(app.workflow?.steps ?? []).filter((s) => DEPLOY_TYPES.has(s.type) && Array.isArray(s.properties.policies));
  const topologies = app.policies.filter((p) => p.type === 'topology');
  const environments = steps.length ? steps.map((s) => s.name) : topologies.map((p) => p.name);
  const byName = (_names: unknown[], step: StepModel): PolicyModel[] => stepPolicies(app, step);
  if (envName) {
    const step = steps.find((s) => s.name === envName);
    if (step) return { env: envName, policies: byName(step.properties.policies as unknown[], step), environments };
    const topo = topologies.find((p) => p.name === envName);
    if (topo) {
      const referenced = new Set(steps.flatMap((s) => s.properties.policies as string[]));
      return { env: envName, policies: [topo, ...app.policies.filter((p) => p.type === 'override' && !referenced.has(p.name))], environments };
    }
    if (environments.length)
      throw oamInput('OAM_RENDER_ENV', `${app.document}: no environment "${envName}"; the application has ${environments.join(', ')}`, { document: app.document, field: 'env', environments });
    // An app without environments renders the same anywhere: the name only labels the objects.
    return { env: envName, policies: app.policies.filter((p) => p.type === 'override' || p.type === 'topology'), environments };
  }
  if (steps.length) return { env: steps[0].name, policies: byName(steps[0].properties.policies as unknown[], steps[0]), environments };
  // KubeVela without a workflow: every topology and override applies.
  return { env: undefined, policies: app.policies.filter((p) => p.type === 'override' || p.type === 'topology'), environments };
}

/** One deploy step's policies (or the app's, without a workflow): rendered once per cluster it places on. */
export interface PlacementGroup {
  /** the deploy step whose topology and overrides these are; undefined without per-step policies. */
  step?: string;
  policies: PolicyModel[];
}

/**
 * What to render, KubeVela's way: a deploy step places its components on every cluster its
 * topology policies select, with its override policies applied (override + topology combine per
 * deploy step). An environment name picks one step (or topology); without one, every deploy
 * step of the workflow is rendered when any of them names policies, else the app's topology and
 * override policies apply as one group.
 */
export function placementGroups(app: AppModel, envName: string | undefined, sel: PolicySelection): PlacementGroup[] {
  const deploySteps = allSteps(app.workflow?.steps ?? []).filter((s) => DEPLOY_TYPES.has(s.type));
  if (envName) return [{ step: deploySteps.some((s) => s.name === sel.env && Array.isArray(s.properties.policies)) ? sel.env : undefined, policies: sel.policies }];
  if (!deploySteps.some((s) => Array.isArray(s.properties.policies))) return [{ policies: sel.policies }];
  return deploySteps.map((s) => ({ step: s.name, policies: stepPolicies(app, s) }));
}

export function resolveTopology(policies: PolicyModel[]): Topology {
  const t: Topology = { clusters: [], allowEmpty: false };
  for (const p of policies.filter((x) => x.type === 'topology')) {
    const pr = p.properties as Record<string, any>;
    if (Array.isArray(pr.clusters)) t.clusters.push(...pr.clusters.map(String));
    if (typeof pr.cluster === 'string' && pr.cluster) t.clusters.push(pr.cluster); // SREWorks
    if (pr.clusterLabelSelector && typeof pr.clusterLabelSelector === 'object') t.clusterLabelSelector = pr.clusterLabelSelector;
    if (pr.clusterSelector && typeof pr.clusterSelector === 'object') t.clusterLabelSelector = pr.clusterSelector;
    if (typeof pr.namespace === 'string' && pr.namespace) t.namespace = pr.namespace;
    if (typeof pr.stage === 'string' && pr.stage) t.stage = pr.stage;
    if (pr.allowEmpty === true) t.allowEmpty = true;
  }
  t.clusters = [...new Set(t.clusters)];
  return t;
}

/** Apply override policies in order to a copy of the components. */
export function applyOverrides(app: AppModel, policies: PolicyModel[]): ComponentModel[] {
  let comps = app.components.map((c) => ({ ...c, properties: clone(c.properties), traits: c.traits.map((t) => ({ ...t, properties: clone(t.properties) })) }));
  for (const p of policies.filter((x) => x.type === 'override')) {
    const pr = p.properties as Record<string, any>;
    const list: any[] = Array.isArray(pr.components) ? pr.components : [];
    list.forEach((o, i) => {
      const field = `${p.path}.properties.components[${i}]`;
      if (!o || typeof o !== 'object') throw oamInput('OAM_RENDER_POLICY', `${app.document}: ${field}: must be an object`, { document: app.document, field });
      const targets = comps.filter((c) => (o.name === undefined || c.name === o.name) && (o.type === undefined || c.type === o.type || c.sreworks?.componentType === o.type));
      for (const c of targets) {
        if (o.properties && typeof o.properties === 'object') c.properties = jsonMergePatch(c.properties, o.properties);
        for (const [j, ot] of (Array.isArray(o.traits) ? o.traits : []).entries()) {
          if (!ot?.type) throw oamInput('OAM_RENDER_POLICY', `${app.document}: ${field}.traits[${j}].type is required`, { document: app.document, field: `${field}.traits[${j}].type` });
          const at = c.traits.findIndex((t) => t.type === ot.type);
          if (ot.disable === true) {
            if (at >= 0) c.traits.splice(at, 1);
          } else if (at >= 0) c.traits[at] = { ...c.traits[at], properties: jsonMergePatch(c.traits[at].properties, ot.properties ?? {}) };
          else c.traits.push({ type: ot.type, properties: ot.properties ?? {}, path: `${field}.traits[${j}]`, dataInputs: [], dataOutputs: [], parameterValues: [] });
        }
        // SREWorks: parameterValues / dataInputs replace or extend the component's own.
        if (c.sreworks && (Array.isArray(o.parameterValues) || Array.isArray(o.dataInputs))) {
          const sw = { ...c.sreworks, parameterValues: [...c.sreworks.parameterValues], dataInputs: [...c.sreworks.dataInputs] };
          for (const pv of o.parameterValues ?? []) {
            const entry = { name: String(pv.name), value: pv.value, toFieldPaths: Array.isArray(pv.toFieldPaths) ? pv.toFieldPaths.map(String) : [] };
            const k = sw.parameterValues.findIndex((x) => x.name === entry.name);
            if (k >= 0) sw.parameterValues[k] = entry;
            else sw.parameterValues.push(entry);
            for (const fp of entry.toFieldPaths) if (fp.startsWith('spec.')) setPath(c.properties, fp.slice(5), clone(entry.value));
          }
          for (const di of o.dataInputs ?? []) sw.dataInputs.push({ from: String(di.valueFrom?.dataOutputName ?? di.from), toFieldPaths: Array.isArray(di.toFieldPaths) ? di.toFieldPaths.map(String) : [] });
          c.sreworks = sw;
        }
      }
    });
    if (Array.isArray(pr.selector)) {
      const keep = new Set(pr.selector.map(String));
      comps = comps.filter((c) => keep.has(c.name));
    }
  }
  return comps;
}
