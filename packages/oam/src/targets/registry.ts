// Targets per cluster: the executor fans out over topology clusters by name and gets a precise
// error for a cluster nobody registered. Configs are plain data (they live in the store, sealed).

import { join } from 'node:path';
import { InputError, NotFoundError } from '@sreworks/kernel';
import { DryRunTarget } from './dryrun.js';
import { GitOpsTarget } from './gitops.js';
import { KubernetesTarget } from './kubernetes.js';
import type { ApplyScope, Target } from './types.js';

export type ClusterTargetConfig =
  | {
      name: string;
      kind: 'kubernetes';
      /** Kubeconfig YAML (already unsealed by the caller). */
      kubeconfig: string;
      context?: string;
      fieldManager?: string;
      forceConflicts?: boolean;
    }
  | {
      name: string;
      kind: 'gitops';
      repo: string;
      credentials?: { username: string; password: string };
      /** Branch template; placeholders {app} {env} {namespace} {cluster}. Default "main". */
      branch?: string;
      /** Path template; default "{env}/{cluster}/{namespace}/{app}". */
      path?: string;
      /** Name of a registered kubernetes cluster that Argo CD/Flux syncs to. */
      observer?: string;
    };

const NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

export function fillTemplate(template: string, scope: ApplyScope): string {
  return template.replace(/\{(app|env|namespace|cluster)\}/g, (_m, k: keyof ApplyScope) => scope[k]);
}

export class TargetRegistry {
  private readonly configs = new Map<string, ClusterTargetConfig>();
  private readonly live = new Map<string, Target>();
  private readonly workdir: string;

  /** `workdir`: where GitOps targets keep their working clones (one directory per cluster). */
  constructor(opts: { workdir: string; clusters?: ClusterTargetConfig[] }) {
    this.workdir = opts.workdir;
    for (const c of opts.clusters ?? []) this.set(c);
  }

  set(cfg: ClusterTargetConfig): void {
    if (!cfg || typeof cfg.name !== 'string' || !NAME.test(cfg.name)) throw new InputError(`cluster name ${JSON.stringify(cfg?.name)} is invalid`, { field: 'name' }, 'OAM_TARGET_CLUSTER_CONFIG');
    if (cfg.kind === 'kubernetes') {
      if (!cfg.kubeconfig) throw new InputError(`cluster ${cfg.name}: kubeconfig is required`, { field: 'kubeconfig' }, 'OAM_TARGET_CLUSTER_CONFIG');
    } else if (cfg.kind === 'gitops') {
      if (!cfg.repo) throw new InputError(`cluster ${cfg.name}: repo is required`, { field: 'repo' }, 'OAM_TARGET_CLUSTER_CONFIG');
      const probe: ApplyScope = { app: 'a', env: 'e', namespace: 'n', cluster: 'c', revision: 'r' };
      if (cfg.branch && !/^[A-Za-z0-9._/-]+$/.test(fillTemplate(cfg.branch, probe))) throw new InputError(`cluster ${cfg.name}: branch template ${cfg.branch} does not give a branch name`, { field: 'branch' }, 'OAM_TARGET_CLUSTER_CONFIG');
    } else {
      throw new InputError(`cluster ${(cfg as { name: string }).name}: kind must be kubernetes or gitops`, { field: 'kind' }, 'OAM_TARGET_CLUSTER_CONFIG');
    }
    this.configs.set(cfg.name, cfg);
    this.live.delete(cfg.name);
    // Observers are resolved lazily, so a changed kubernetes cluster refreshes GitOps users too.
    for (const [n, c] of this.configs) if (c.kind === 'gitops' && c.observer === cfg.name) this.live.delete(n);
  }

  remove(name: string): void {
    this.configs.delete(name);
    this.live.delete(name);
  }

  names(): string[] {
    return [...this.configs.keys()].sort();
  }

  private config(name: string): ClusterTargetConfig {
    const c = this.configs.get(name);
    if (!c) {
      const known = this.names();
      throw new NotFoundError(`cluster "${name}" is not registered${known.length ? `; known clusters: ${known.join(', ')}` : '; no clusters are registered'}`, 'OAM_TARGET_CLUSTER_UNKNOWN', { field: 'cluster', cluster: name });
    }
    return c;
  }

  /** The target for a cluster (cached); `dryRun` wraps it so nothing is changed. */
  get(name: string, opts: { dryRun?: boolean } = {}): Target {
    const c = this.config(name);
    let t = this.live.get(name);
    if (!t) {
      if (c.kind === 'kubernetes') {
        t = new KubernetesTarget({ kubeconfig: c.kubeconfig, context: c.context, cluster: c.name, fieldManager: c.fieldManager, forceConflicts: c.forceConflicts });
      } else {
        const branch = c.branch;
        const path = c.path ?? '{env}/{cluster}/{namespace}/{app}';
        t = new GitOpsTarget({
          repo: c.repo,
          workdir: join(this.workdir, c.name),
          credentials: c.credentials,
          branch: branch ? (s) => fillTemplate(branch, s) : undefined,
          path: (s) => fillTemplate(path, s),
          observer: c.observer ? this.get(c.observer) : undefined,
        });
      }
      this.live.set(name, t);
    }
    return opts.dryRun ? new DryRunTarget(t.capabilities.kind === 'kubernetes' ? t : undefined) : t;
  }

  /** A Kubernetes target by cluster name (builds need one). */
  kubernetes(name: string): KubernetesTarget {
    const t = this.get(name);
    if (!(t instanceof KubernetesTarget)) throw new InputError(`cluster "${name}" is a ${t.capabilities.kind} target, not a Kubernetes cluster`, { field: 'cluster' }, 'OAM_TARGET_CLUSTER_KIND');
    return t;
  }
}
