// The plan: one DAG the executor walks. Nodes are components, pre/post traits and workflow steps.
// Ordering follows SREWorks (reference sreworks.md §2.6): pre traits run before their component
// in declaration order, post traits after it; "depends on X" waits for X AND its post traits;
// data inputs wait for the node that declares the output. SREWorks adds a no-op mirror node per
// component as the landing point of incoming edges; here incoming edges land directly on the
// component's entry (its first pre trait, or itself), which orders exactly the same.
// Workflow steps run one by one unless the mode is DAG (KubeVela) or the steps are linked by
// inputs/outputs (SREWorks); a step-group's node completes after its sub-steps.
import type { AppModel, ComponentModel, StepModel, TraitStage } from '../model/model.js';
import { oamInput } from '../errors.js';

export type PlanNodeKind = 'component' | 'trait' | 'step';

export interface PlanNode {
  id: string;
  kind: PlanNodeKind;
  /** component name, `component/trait`, or step name. */
  name: string;
  /** definition type (component type, trait type, step type). */
  type: string;
  component?: string;
  trait?: string;
  stage?: TraitStage;
  /** step: the group it belongs to. */
  parent?: string;
  /** step: components it deploys (deploy / apply-component). */
  components?: string[];
  /** step: `if` expression and timeout. */
  if?: string;
  timeout?: string;
  /** true for the default deploy step made when the app has no workflow. */
  synthesized?: boolean;
}

export type PlanEdgeReason = 'dependsOn' | 'input' | 'pre-trait' | 'post-trait' | 'step-order' | 'step-dependsOn' | 'step-input' | 'sub-step';

export interface PlanEdge {
  from: string;
  to: string;
  reason: PlanEdgeReason;
  /** SREWorks dependency condition (edge expression), when given. */
  condition?: string;
  /** the output name an input edge carries. */
  data?: string;
}

export interface Plan {
  app: string;
  nodes: PlanNode[];
  edges: PlanEdge[];
  /** topological layers over all nodes: every node's predecessors are in earlier layers. */
  layers: string[][];
  /** components in an order that respects every component/trait edge. */
  componentOrder: string[];
}

export interface PlanOptions {
  /** the stage of a trait when the application does not say it (from its definition). */
  traitStage?: (component: ComponentModel, traitType: string) => TraitStage | undefined;
}

export const componentNodeId = (c: string): string => `component:${c}`;
export const traitNodeId = (c: string, t: string): string => `trait:${c}/${t}`;
export const stepNodeId = (s: string): string => `step:${s}`;

export function planApp(app: AppModel, opts: PlanOptions = {}): Plan {
  const nodes: PlanNode[] = [];
  const edges: PlanEdge[] = [];
  const byName = new Map(app.components.map((c) => [c.name, c]));
  const entry = new Map<string, string>();
  const exit = new Map<string, string>();
  const producers = new Map<string, string>(); // output name → node id

  for (const c of app.components) {
    const cid = componentNodeId(c.name);
    nodes.push({ id: cid, kind: 'component', name: c.name, type: c.type, component: c.name });
    let first = cid;
    let last = cid;
    let prev: string | undefined;
    const pre = c.traits.filter((t) => stageOf(c, t.type, t.stage, opts) === 'pre');
    const post = c.traits.filter((t) => stageOf(c, t.type, t.stage, opts) === 'post');
    for (const t of pre) {
      const id = traitNodeId(c.name, t.type);
      nodes.push({ id, kind: 'trait', name: `${c.name}/${t.type}`, type: t.type, component: c.name, trait: t.type, stage: 'pre' });
      if (prev) edges.push({ from: prev, to: id, reason: 'pre-trait' });
      else first = id;
      prev = id;
    }
    if (prev) edges.push({ from: prev, to: cid, reason: 'pre-trait' });
    prev = cid;
    for (const t of post) {
      const id = traitNodeId(c.name, t.type);
      nodes.push({ id, kind: 'trait', name: `${c.name}/${t.type}`, type: t.type, component: c.name, trait: t.type, stage: 'post' });
      edges.push({ from: prev, to: id, reason: 'post-trait' });
      prev = id;
      last = id;
    }
    entry.set(c.name, first);
    exit.set(c.name, last);
    for (const o of c.outputs) producers.set(o.name, cid);
    for (const o of c.sreworks?.dataOutputs ?? []) producers.set(o.name, cid);
    for (const t of c.traits) {
      const st = stageOf(c, t.type, t.stage, opts);
      for (const o of t.dataOutputs) producers.set(o.name, st === 'pre' || st === 'post' ? traitNodeId(c.name, t.type) : cid);
    }
  }

  for (const c of app.components) {
    const into = entry.get(c.name)!;
    c.dependsOn.forEach((d, j) => {
      if (!byName.has(d.component))
        throw oamInput('OAM_PLAN_UNKNOWN_REF', `${app.document}: component "${c.name}" depends on "${d.component}", which is not in the application`, {
          document: app.document,
          component: c.name,
          field: `${c.path}.dependsOn[${j}]`,
        });
      edges.push({ from: exit.get(d.component)!, to: into, reason: 'dependsOn', ...(d.condition ? { condition: d.condition } : {}) });
    });
    const inputs: { from: string; field: string; to: string }[] = [
      ...c.inputs.map((x, j) => ({ from: x.from, field: `${c.path}.inputs[${j}].from`, to: into })),
      ...(c.sreworks?.dataInputs ?? []).map((x, j) => ({ from: x.from, field: `${c.path}.dataInputs[${j}]`, to: into })),
      ...c.traits.flatMap((t) => {
        const st = stageOf(c, t.type, t.stage, opts);
        const to = st === 'pre' || st === 'post' ? traitNodeId(c.name, t.type) : into;
        return t.dataInputs.map((x, j) => ({ from: x.from, field: `${t.path}.dataInputs[${j}]`, to }));
      }),
    ];
    for (const i of inputs) {
      const p = producers.get(i.from);
      if (!p) {
        // SREWorks inputs may name platform globals (Global.KUBECONFIG); KubeVela ones must resolve.
        if (app.source === 'kubevela')
          throw oamInput('OAM_PLAN_UNKNOWN_REF', `${app.document}: ${i.field}: no component outputs "${i.from}"`, { document: app.document, component: c.name, field: i.field });
        continue;
      }
      if (p === i.to || (p === componentNodeId(c.name) && i.to.startsWith(`trait:${c.name}/`) && nodes.find((n) => n.id === i.to)?.stage === 'post')) continue;
      edges.push({ from: p, to: i.to, reason: 'input', data: i.from });
    }
  }

  planSteps(app, nodes, edges);
  const layers = topoLayers(app, nodes, edges);
  const componentOrder = layers.flat().filter((id) => id.startsWith('component:')).map((id) => id.slice('component:'.length));
  return { app: app.name, nodes, edges: dedupe(edges), layers, componentOrder };
}

function stageOf(c: ComponentModel, type: string, declared: TraitStage | undefined, opts: PlanOptions): TraitStage {
  return declared ?? opts.traitStage?.(c, type) ?? 'default';
}

function planSteps(app: AppModel, nodes: PlanNode[], edges: PlanEdge[]): void {
  const all = app.components.map((c) => c.name);
  const wf = app.workflow;
  if (!wf || wf.steps.length === 0) {
    // KubeVela: no workflow = one deploy of every component (ordered by dependsOn).
    nodes.push({ id: stepNodeId('deploy'), kind: 'step', name: 'deploy', type: 'deploy', components: all, synthesized: true });
    return;
  }
  const addLevel = (steps: StepModel[], mode: 'StepByStep' | 'DAG', parent: string | undefined): string[] => {
    const ids = steps.map((s) => stepNodeId(parent ? `${parent}/${s.name}` : s.name));
    const seen = new Set<string>();
    steps.forEach((s, i) => {
      if (seen.has(s.name))
        throw oamInput('OAM_PARSE_DUPLICATE', `${app.document}: workflow step name "${s.name}" is used twice`, { document: app.document, step: s.name, field: `${s.path}.name` });
      seen.add(s.name);
      nodes.push({
        id: ids[i],
        kind: 'step',
        name: parent ? `${parent}/${s.name}` : s.name,
        type: s.type,
        ...(parent ? { parent: stepNodeId(parent) } : {}),
        ...(stepComponents(s, all) ? { components: stepComponents(s, all) } : {}),
        ...(s.if ? { if: s.if } : {}),
        ...(s.timeout ? { timeout: s.timeout } : {}),
      });
    });
    const index = new Map(steps.map((s, i) => [s.name, ids[i]]));
    const outputs = new Map<string, string>();
    steps.forEach((s, i) => s.outputs.forEach((o) => outputs.set(o.name, ids[i])));
    steps.forEach((s, i) => {
      if (mode === 'StepByStep' && i > 0) edges.push({ from: ids[i - 1], to: ids[i], reason: 'step-order' });
      s.dependsOn.forEach((d, j) => {
        const from = index.get(d);
        if (!from)
          throw oamInput('OAM_PLAN_UNKNOWN_REF', `${app.document}: step "${s.name}" depends on "${d}", which is not a step at its level`, {
            document: app.document,
            step: s.name,
            field: `${s.path}.dependsOn[${j}]`,
          });
        edges.push({ from, to: ids[i], reason: 'step-dependsOn' });
      });
      for (const inp of s.inputs) {
        const from = outputs.get(inp.from);
        if (from && from !== ids[i]) edges.push({ from, to: ids[i], reason: 'step-input', data: inp.from });
      }
      if (s.subSteps.length) {
        const subMode = (s.properties.mode as 'StepByStep' | 'DAG' | undefined) ?? app.workflow!.mode.subSteps;
        const subIds = addLevel(s.subSteps, subMode, parent ? `${parent}/${s.name}` : s.name);
        // the group node completes after its sub-steps; what precedes the group precedes them.
        for (const sid of subIds) edges.push({ from: sid, to: ids[i], reason: 'sub-step' });
      }
    });
    return ids;
  };
  addLevel(wf.steps, wf.mode.steps, undefined);
  // Edges into a group also hold its sub-steps back.
  const groups = nodes.filter((n) => n.kind === 'step' && nodes.some((m) => m.parent === n.id));
  for (const g of groups) {
    const preds = edges.filter((e) => e.to === g.id && e.reason !== 'sub-step').map((e) => e.from);
    for (const sub of nodes.filter((m) => m.parent === g.id)) for (const p of preds) edges.push({ from: p, to: sub.id, reason: 'step-order' });
  }
}

function stepComponents(s: StepModel, all: string[]): string[] | undefined {
  const p = s.properties;
  if (s.type === 'deploy' || s.type === 'deploy2env') return all;
  if (s.type === 'apply-component' && typeof p.component === 'string') return [p.component];
  if (s.type === 'apply-components' && Array.isArray(p.components))
    return p.components.map((c: any) => (typeof c === 'string' ? c : String(c?.name ?? '').split('@')[0])).filter((n: string) => n);
  return undefined;
}

function dedupe(edges: PlanEdge[]): PlanEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const k = `${e.from}>${e.to}>${e.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Kahn layering; on a cycle, name it (`a -> b -> a`). */
function topoLayers(app: AppModel, nodes: PlanNode[], edges: PlanEdge[]): string[][] {
  const indeg = new Map(nodes.map((n) => [n.id, 0]));
  const out = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of dedupe(edges)) {
    out.get(e.from)!.push(e.to);
    indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
  }
  const layers: string[][] = [];
  let ready = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  let done = 0;
  while (ready.length) {
    layers.push(ready);
    done += ready.length;
    const next: string[] = [];
    for (const id of ready)
      for (const to of out.get(id)!) {
        const d = indeg.get(to)! - 1;
        indeg.set(to, d);
        if (d === 0) next.push(to);
      }
    ready = next;
  }
  if (done < nodes.length) {
    const cycle = findCycle(nodes.filter((n) => indeg.get(n.id)! > 0).map((n) => n.id), out);
    const label = (id: string) => nodes.find((n) => n.id === id)?.name ?? id;
    const text = cycle.map(label).join(' -> ');
    const first = nodes.find((n) => n.id === cycle[0]);
    throw oamInput('OAM_PLAN_CYCLE', `${app.document}: dependency cycle: ${text}`, {
      document: app.document,
      cycle: cycle.map(label),
      ...(first?.component ? { component: first.component } : {}),
      ...(first?.kind === 'step' ? { step: first.name } : {}),
    });
  }
  return layers;
}

function findCycle(candidates: string[], out: Map<string, string[]>): string[] {
  const inSet = new Set(candidates);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 1);
    stack.push(id);
    for (const to of out.get(id) ?? []) {
      if (!inSet.has(to)) continue;
      if (state.get(to) === 1) return [...stack.slice(stack.indexOf(to)), to];
      if (!state.has(to)) {
        const c = visit(to);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const id of candidates) if (!state.has(id)) {
    const c = visit(id);
    if (c) return c;
  }
  return candidates;
}
