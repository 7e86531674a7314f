// Kubernetes events from every registered cluster into the event store: one watch per
// kubernetes cluster on /api/v1/events, restarted with backoff when it ends, the cluster list
// refreshed every minute (new clusters start, removed ones stop). Repeated events update in place
// (the event store dedups by fingerprint). Events belong to the team that owns the cluster.
import { KubeClient } from '@sreworks/oam';
import { DEFAULT_TENANT_LABEL, decodeEvents, stampEvents, type LogStore } from '@sreworks/telemetry';
import type { ModuleContext } from './core/module.js';

interface Watching {
  stop: () => void;
  updatedAt: string;
}

export class KubeEventCollector {
  private watches = new Map<string, Watching>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly ctx: ModuleContext, private readonly logs: LogStore, private readonly refreshMs = 60_000) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh().catch((err) => this.ctx.log.error({ err }, 'kube events: refresh failed'));
    this.timer = setInterval(() => void this.refresh().catch((err) => this.ctx.log.error({ err }, 'kube events: refresh failed')), this.refreshMs);
    this.timer.unref();
  }

  /** Start watches for new or changed clusters, stop those of removed ones. */
  async refresh(): Promise<void> {
    const rows = await this.ctx.store.db.selectFrom('scope_cluster').select(['id', 'name', 'team_id', 'updated_at']).where('kind', '=', 'kubernetes').execute();
    const seen = new Set<string>();
    for (const r of rows) {
      seen.add(r.id);
      const cur = this.watches.get(r.id);
      if (cur && cur.updatedAt === `${r.updated_at}/${r.team_id}`) continue;
      cur?.stop();
      this.watch(r.id, r.name, r.team_id, `${r.updated_at}/${r.team_id}`, 1000);
    }
    for (const [id, w] of this.watches) if (!seen.has(id)) {
      w.stop();
      this.watches.delete(id);
    }
  }

  private watch(id: string, name: string, team: string, updatedAt: string, backoffMs: number): void {
    let stop = () => {};
    let ended = false;
    const entry: Watching = { stop: () => { ended = true; stop(); }, updatedAt };
    this.watches.set(id, entry);
    const restart = () => {
      if (ended || this.stopped || this.watches.get(id) !== entry) return;
      setTimeout(() => this.watches.get(id) === entry && !ended && this.watch(id, name, team, updatedAt, Math.min(backoffMs * 2, 60_000)), backoffMs).unref();
    };
    void (async () => {
      const { kubeconfig } = await this.ctx.scope.clusterCredentials(id);
      const client = new KubeClient({ kubeconfig: kubeconfig!, cluster: name, attempts: 1 });
      stop = await client.watch(
        '/api/v1/events',
        { allowWatchBookmarks: false },
        (type, obj) => {
          if (type !== 'ADDED' && type !== 'MODIFIED') return;
          const events = stampEvents(decodeEvents(obj, { cluster: name }), DEFAULT_TENANT_LABEL, team);
          if (events.length) void this.logs.appendEvents(events).catch((err) => this.ctx.log.error({ err, cluster: name }, 'kube events: append failed'));
        },
        (err) => {
          if (err) this.ctx.log.warn({ err: String(err), cluster: name }, 'kube events: watch ended');
          restart();
        },
      );
    })().catch((err) => {
      this.ctx.log.warn({ err: String(err), cluster: name }, 'kube events: cannot watch');
      restart();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
  }
}
