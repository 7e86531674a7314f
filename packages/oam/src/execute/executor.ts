// The deployment executor: claims queued deployments with a lease (so several replicas share the
// work and a crashed one's deployment is resumed by another, or by itself after a restart), walks
// the plan (steps, components in dependency order, pre and post traits), applies and waits for
// health with a timeout that says what it waits for, and collects garbage only after success.
import { hostname } from 'node:os';
import { newId } from '@sreworks/kernel';
import { nowIso, toJson, type Store } from '@sreworks/store';
import type { RenderEngine, RenderResult } from '../render/render.js';
import { hasBuiltinHealth } from '../targets/health.js';
import { refOf } from '../targets/refs.js';
import type { ApplyScope, CustomHealth, K8sObject, ObjectStatus, Target } from '../targets/types.js';
import type { PlanNode } from '../plan/plan.js';
import type { StepModel } from '../model/model.js';
import { renderEnvOf, type AppService } from '../service/apps.js';
import { clusterKey, type DeployEnv, type NodeStatus, type StoredObject, type TargetResolver } from './types.js';

export interface ExecutorOptions {
  store: Store;
  apps: AppService;
  targets: TargetResolver;
  engine: () => Promise<RenderEngine>;
  log?: { info(o: object, m?: string): void; error(o: object, m?: string): void };
  /** health wait per node when the step names no timeout (default 5 min). */
  healthTimeoutMs?: number;
  leaseMs?: number;
  pollMs?: number;
  fetchImpl?: typeof fetch;
}

const ACTIVE = ['pending', 'running'];

export function parseDuration(s: string | undefined, fallbackMs: number): number {
  if (!s) return fallbackMs;
  const m = String(s).match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!m) return fallbackMs;
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h']);
}

class LostLease extends Error {}

/** A plan node to run; component and trait nodes run once per deploy step that places them. */
interface WorkItem {
  node: PlanNode;
  /** the node's status row: the plan node id, or `<node id>@<step>`. */
  id: string;
  step?: string;
}
class Stopped extends Error {}

export class DeploymentExecutor {
  readonly owner = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  private timer?: NodeJS.Timeout;
  private running = new Set<string>();
  private stopping = false;
  private readonly leaseMs: number;

  constructor(private readonly o: ExecutorOptions) {
    this.leaseMs = o.leaseMs ?? 30_000;
  }

  start(): void {
    this.stopping = false;
    const tick = () => {
      if (this.stopping) return;
      void this.claimAndRun().finally(() => {
        if (!this.stopping) this.timer = setTimeout(tick, this.o.pollMs ?? 1000);
      });
    };
    tick();
  }

  /** Look for work now (after a deploy, resume or rollback was queued). */
  kick(): void {
    if (!this.stopping && this.timer) void this.claimAndRun();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (let i = 0; i < 100 && this.running.size; i++) await new Promise((r) => setTimeout(r, 50));
  }

  private get db() {
    return this.o.store.db;
  }

  /** Claim every claimable deployment and run them concurrently. */
  async claimAndRun(): Promise<void> {
    const now = nowIso();
    const candidates = await this.db.selectFrom('oam_deployment').select(['id', 'lease_until', 'lease_owner']).where('status', 'in', ACTIVE).orderBy('id').limit(20).execute();
    for (const c of candidates) {
      if (this.running.has(c.id)) continue;
      if (c.lease_until && String(c.lease_until) > now && c.lease_owner !== this.owner) continue;
      const res = await this.db
        .updateTable('oam_deployment')
        .set({ lease_owner: this.owner, lease_until: new Date(Date.now() + this.leaseMs).toISOString(), status: 'running' })
        .where('id', '=', c.id)
        .where('status', 'in', ACTIVE)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', this.owner)]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) continue;
      this.running.add(c.id);
      void this.run(c.id)
        .catch((err) => this.o.log?.error({ err, deployment: c.id }, 'deployment run failed'))
        .finally(() => this.running.delete(c.id));
    }
  }

  private async event(dep: string, level: 'info' | 'warn' | 'error', message: string, node?: string) {
    await this.db.insertInto('oam_deployment_event').values({ id: newId(), deployment_id: dep, at: nowIso(), level, node_id: node ?? null, message: message.slice(0, 4000) }).execute();
  }

  private async setNode(dep: string, nodeId: string, status: NodeStatus, message: string, objects?: ObjectStatus[]) {
    const v: Record<string, unknown> = { status, message: message.slice(0, 4000) };
    if (objects) v.objects = toJson(objects);
    if (status === 'running') v.started_at = nowIso();
    if (status === 'succeeded' || status === 'failed' || status === 'skipped') v.finished_at = nowIso();
    await this.db.updateTable('oam_deployment_node').set(v).where('deployment_id', '=', dep).where('node_id', '=', nodeId).execute();
  }

  /** Renew the lease and notice cancellation between steps. */
  private async checkpoint(dep: string) {
    const r = await this.db.selectFrom('oam_deployment').select(['status', 'lease_owner']).where('id', '=', dep).executeTakeFirst();
    if (!r || r.status === 'canceled') throw new Stopped('canceled');
    if (r.lease_owner !== this.owner) throw new LostLease();
    if (this.stopping) throw new Stopped('the process is stopping; another start resumes the deployment');
    await this.db.updateTable('oam_deployment').set({ lease_until: new Date(Date.now() + this.leaseMs).toISOString() }).where('id', '=', dep).execute();
  }

  private async finish(dep: string, status: 'succeeded' | 'failed' | 'suspended', message: string) {
    await this.db
      .updateTable('oam_deployment')
      .set({ status, message: message.slice(0, 4000), lease_owner: null, lease_until: null, ...(status === 'suspended' ? {} : { finished_at: nowIso() }) })
      .where('id', '=', dep)
      .where('lease_owner', '=', this.owner)
      .execute();
    await this.event(dep, status === 'failed' ? 'error' : 'info', `deployment ${status}: ${message}`);
  }

  async run(depId: string): Promise<void> {
    const dep = await this.o.apps.getDeployment(depId);
    const rev = await this.o.apps.getRevisionById(dep.revision);
    const app = await this.o.apps.getApp(dep.app);
    if (!dep.startedAt) {
      await this.db.updateTable('oam_deployment').set({ started_at: nowIso() }).where('id', '=', depId).execute();
      await this.event(depId, 'info', `deploying ${app.name} revision ${rev.number}${dep.dryRun ? ' (dry-run)' : ''}`);
    } else {
      await this.event(depId, 'info', `resuming (claimed by ${this.owner})`);
    }
    let env: DeployEnv;
    let render: RenderResult;
    try {
      env = await this.o.targets.environment(dep.env);
      // Re-render the revision's spec for its plan and the definitions' health evaluators; the
      // objects applied are the ones stored in the revision, exactly as they were rendered.
      render = await this.o.apps.render(rev.spec, env, rev.number);
    } catch (e) {
      return this.finish(depId, 'failed', (e as Error).message);
    }
    const plan = render.plan;
    const scope: ApplyScope = { app: app.name, env: env.name, namespace: env.namespace, cluster: env.clusterName, revision: `v${rev.number}` };
    const targets = new Map<string, Target>();
    const targetFor = async (cluster: string | undefined) => {
      const key = clusterKey(cluster, env);
      if (!targets.has(key)) targets.set(key, await this.o.targets.target(env, { dryRun: dep.dryRun, clusterName: key || undefined }));
      return targets.get(key)!;
    };
    const custom: CustomHealth = (obj, live) => {
      if (hasBuiltinHealth(obj.apiVersion, obj.kind)) return undefined;
      const comp = render.components.find((c) => c.workload && c.workload.kind === obj.kind && c.workload.metadata.name === obj.metadata.name);
      if (!comp) return undefined;
      const h = comp.health({ output: live });
      return { ref: refOf(obj), component: comp.name, healthy: h.healthy, phase: h.healthy ? 'healthy' : 'progressing', message: h.message };
    };

    const nodesById = new Map(plan.nodes.map((n) => [n.id, n]));
    const hasSteps = plan.nodes.some((n) => n.kind === 'step');
    // When the app's deploy steps name policies, each step places its own copy of the components
    // (its clusters, its overrides): a component node runs once per step, as `<node>@<step>`.
    const stepped = rev.objects.some((o) => o.step);
    const order: WorkItem[] = [];
    const seen = new Set<string>();
    const push = (n: PlanNode | undefined, step?: string) => {
      if (!n) return;
      const id = step && n.kind !== 'step' ? `${n.id}@${step}` : n.id;
      if (seen.has(id)) return;
      seen.add(id);
      order.push({ node: n, id, step: n.kind === 'step' ? undefined : step });
    };
    const componentNodes = (names?: string[]) => {
      const wanted = names && names.length ? new Set(names) : undefined;
      const out: PlanNode[] = [];
      for (const c of plan.componentOrder) {
        if (wanted && !wanted.has(c)) continue;
        const traits = plan.nodes.filter((n) => n.kind === 'trait' && n.component === c);
        out.push(...traits.filter((t) => t.stage === 'pre'), nodesById.get(`component:${c}`)!, ...traits.filter((t) => t.stage !== 'pre'));
      }
      return out.filter(Boolean);
    };
    const placed = new Set(rev.objects.map((o) => o.step).filter(Boolean));
    if (hasSteps) {
      for (const layer of plan.layers) for (const id of layer) {
        const n = nodesById.get(id)!;
        if (n.kind !== 'step') continue;
        push(n);
        if (n.type === 'deploy' || n.type === 'apply-component') componentNodes(n.components).forEach((c) => push(c, stepped && placed.has(n.name) ? n.name : undefined));
      }
    }
    if (!stepped) componentNodes().forEach((c) => push(c)); // components no step covered

    const existing = new Set((await this.db.selectFrom('oam_deployment_node').select('node_id').where('deployment_id', '=', depId).execute()).map((r) => r.node_id));
    const fresh = order.filter((w) => !existing.has(w.id));
    if (fresh.length) {
      await this.db
        .insertInto('oam_deployment_node')
        .values(fresh.map((w) => ({ deployment_id: depId, node_id: w.id, kind: w.node.kind, name: w.step ? `${w.node.name}@${w.step}` : w.node.name, type: w.node.type, status: 'pending', message: 'waiting for its dependencies' })))
        .execute();
    }
    const done = new Map((await this.db.selectFrom('oam_deployment_node').select(['node_id', 'status', 'started_at']).where('deployment_id', '=', depId).execute()).map((r) => [r.node_id, r]));
    const timeoutDefault = this.o.healthTimeoutMs ?? 300_000;
    const applied: StoredObject[] = [];
    try {
      for (const { node, id, step } of order) {
        await this.checkpoint(depId);
        const state = done.get(id);
        if (state?.status === 'succeeded' || state?.status === 'skipped') {
          if (node.kind !== 'step') applied.push(...this.objectsOf(rev.objects, node, stepped ? step : undefined));
          continue;
        }
        if (node.kind === 'step') {
          const outcome = await this.runStep(depId, node, state?.started_at ? String(state.started_at) : undefined, render, env, this.o.apps.parse(rev.spec).workflow?.steps ?? []);
          if (outcome === 'suspended') return this.finish(depId, 'suspended', `waiting at step ${node.name}: resume it with POST /api/oam/deployments/${depId}/resume`);
          continue;
        }
        const objs = this.objectsOf(rev.objects, node, stepped ? step : undefined);
        if (objs.length === 0) {
          await this.setNode(depId, id, 'succeeded', 'nothing to apply');
          continue;
        }
        const toApply = objs.filter((o) => !o.reference);
        const byCluster = new Map<string, StoredObject[]>();
        for (const o of toApply) byCluster.set(o.cluster ?? '', [...(byCluster.get(o.cluster ?? '') ?? []), o]);
        const where = byCluster.size > 1 || stepped ? ` on ${[...byCluster.keys()].map((c) => c || env.clusterName).join(', ')}` : '';
        await this.setNode(depId, id, 'running', `applying ${objs.length} object(s)${where}`);
        await this.event(depId, 'info', `applying ${node.name}${step ? ` (${step})` : ''} (${objs.length} objects)${where}`, id);
        const statuses: (ObjectStatus & { cluster?: string })[] = [];
        const messages: string[] = [];
        for (const [cluster, list] of byCluster) {
          const target = await targetFor(cluster);
          const k8s = list.map((o) => o.object as K8sObject);
          const label = where ? `${cluster || env.clusterName}: ` : '';
          await target.apply(k8s, scope);
          let got: ObjectStatus[];
          if (!target.capabilities.observesHealth) {
            got = await target.health(k8s, scope, custom);
          } else {
            const stepTimeout = plan.nodes.find((s) => s.kind === 'step' && s.components?.includes(node.component ?? ''))?.timeout;
            await this.setNode(depId, id, 'running', `${label}waiting up to ${Math.round(parseDuration(stepTimeout, timeoutDefault) / 1000)} s for ${k8s.length} object(s) to become healthy`);
            got = await target.waitHealthy(k8s, scope, { timeoutMs: parseDuration(stepTimeout, timeoutDefault), custom, pollMs: 500 });
          }
          statuses.push(...got.map((x) => (where ? { ...x, cluster: cluster || env.clusterName } : x)));
          messages.push(...got.map((x) => `${label}${x.message}`));
        }
        applied.push(...objs);
        await this.setNode(depId, id, 'succeeded', messages.length ? messages.join('; ').slice(0, 1000) : 'applied', statuses);
      }
      // Garbage collection: only now, after every node succeeded; PVCs and shared objects stay.
      if (!dep.dryRun) {
        const gcPolicy = render.policies.find((p) => p.type === 'garbage-collect');
        if (gcPolicy?.properties?.keepLegacyResource === true) {
          await this.event(depId, 'info', 'garbage-collect policy keeps legacy resources: nothing deleted');
        } else {
          // Per cluster: each keeps what this revision placed on it.
          const clusters = new Map<string, StoredObject[]>();
          for (const o of rev.objects) {
            const key = clusterKey(o.cluster, env);
            clusters.set(key, [...(clusters.get(key) ?? []), o]);
          }
          if (!clusters.has('')) clusters.set('', []);
          for (const [cluster, objs] of clusters) {
            const target = await targetFor(cluster);
            const deleted = await target.gc(scope, objs.map((o) => refOf(o.object as K8sObject)), {});
            if (deleted.length) await this.event(depId, 'info', `garbage-collected${cluster ? ` on ${cluster}` : ''} ${deleted.map((r) => `${r.kind}/${r.name}`).join(', ')}`);
          }
        }
      }
      return this.finish(depId, 'succeeded', `revision ${rev.number} is ${dep.dryRun ? 'rendered (dry-run)' : 'healthy'}`);
    } catch (e) {
      if (e instanceof LostLease) return;
      if (e instanceof Stopped) {
        if (e.message !== 'canceled') await this.db.updateTable('oam_deployment').set({ lease_owner: null, lease_until: null }).where('id', '=', depId).execute();
        return;
      }
      const running = await this.db.selectFrom('oam_deployment_node').select('node_id').where('deployment_id', '=', depId).where('status', '=', 'running').executeTakeFirst();
      const msg = (e as Error).message;
      if (running) {
        await this.db.updateTable('oam_deployment_node').set({ status: 'failed', message: msg.slice(0, 4000), finished_at: nowIso() }).where('deployment_id', '=', depId).where('node_id', '=', running.node_id).execute();
      }
      return this.finish(depId, 'failed', `${running ? running.node_id + ': ' : ''}${msg} (nothing was garbage-collected)`);
    }
  }

  private objectsOf(all: StoredObject[], node: PlanNode, step?: string): StoredObject[] {
    const mine = step === undefined ? all : all.filter((o) => o.step === step);
    if (node.kind === 'trait') return mine.filter((o) => o.component === node.component && o.trait === node.trait && o.stage !== 'default');
    // the component node: everything of the component except what a pre/post trait node applies
    return mine.filter((o) => o.component === node.name && !(o.trait && o.stage !== 'default' && o.role === 'trait'));
  }

  private async runStep(dep: string, node: PlanNode, startedAt: string | undefined, render: RenderResult, env: DeployEnv, steps: StepModel[]): Promise<'done' | 'suspended'> {
    const step = findStep(steps, node.name);
    const props = (step?.properties ?? {}) as Record<string, any>;
    if (node.if && node.if !== 'always') {
      // conditions over earlier steps' status; anything but a plain success check is refused
      if (!/^(success|always)\(?\)?$/.test(node.if.trim())) {
        await this.setNode(dep, node.id, 'skipped', `if: ${node.if} is not supported; skipped`);
        return 'done';
      }
    }
    switch (node.type) {
      case 'suspend': {
        const dur = props.duration ? parseDuration(String(props.duration), 0) : 0;
        if (!dur) {
          await this.setNode(dep, node.id, 'waiting', 'suspended until resumed');
          return 'suspended';
        }
        const started = startedAt ? Date.parse(startedAt) : Date.now();
        if (!startedAt) await this.setNode(dep, node.id, 'running', `suspended for ${props.duration}`);
        const left = started + dur - Date.now();
        if (left > 0) await new Promise((r) => setTimeout(r, left));
        await this.setNode(dep, node.id, 'succeeded', `waited ${props.duration}`);
        return 'done';
      }
      case 'notification': {
        const url = props.webhook?.url ?? props.url ?? props.slack?.url?.value ?? props.slack?.url;
        if (!url) {
          await this.setNode(dep, node.id, 'failed', 'notification step needs properties.webhook.url');
          throw new Error(`step ${node.name}: notification step needs properties.webhook.url`);
        }
        const message = props.webhook?.message ?? props.message ?? { text: `SREWorks: ${render.app} deploying to ${env.name}` };
        await this.setNode(dep, node.id, 'running', `notifying ${new URL(url).host}`);
        const res = await (this.o.fetchImpl ?? fetch)(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal: AbortSignal.timeout(10_000) });
        if (!res.ok) throw new Error(`step ${node.name}: webhook answered ${res.status}`);
        await this.setNode(dep, node.id, 'succeeded', `notified ${new URL(url).host} (${res.status})`);
        return 'done';
      }
      default:
        // deploy, apply-component, step-group: their work is the component nodes that follow
        await this.setNode(dep, node.id, 'succeeded', node.type === 'step-group' ? 'group entered' : `components: ${(node.components ?? []).join(', ') || 'all'}`);
        return 'done';
    }
  }
}

function findStep(steps: StepModel[], name: string): StepModel | undefined {
  for (const s of steps) {
    if (s.name === name) return s;
    const sub = findStep(s.subSteps ?? [], name);
    if (sub) return sub;
  }
  return undefined;
}

export { renderEnvOf };
