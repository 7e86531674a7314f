// How the AppManager reaches clusters: environments and clusters come from the scope service;
// kubeconfigs and git credentials are opened only here, for the target being built.
import { join, posix } from 'node:path';
import { InputError } from '@sreworks/kernel';
import { DryRunTarget, GitOpsTarget, KubernetesTarget, type DeployEnv, type Target, type TargetResolver } from '@sreworks/oam';
import type { ModuleContext } from './core/module.js';

export function platformTargets(ctx: ModuleContext): TargetResolver {
  return {
    async environment(id) {
      const e = await ctx.scope.getEnvironment(id).catch(() => {
        throw new InputError(`environment ${id} does not exist`, { field: 'body.env' }, 'OAM_ENV_NOT_FOUND');
      });
      const c = await ctx.scope.getCluster(e.cluster);
      return { id: e.id, name: e.name, team: e.team, namespace: e.namespace, stage: e.stage, clusterId: c.id, clusterName: c.name };
    },
    async target(env: DeployEnv, opts) {
      let clusterId = env.clusterId;
      if (opts.clusterName) {
        // topology fan-out: another cluster of the same team, by name
        const row = await ctx.store.db.selectFrom('scope_cluster').select('id').where('team_id', '=', env.team).where('name', '=', opts.clusterName).executeTakeFirst();
        if (row) clusterId = row.id;
        // SREWorks' "master" names its control-plane cluster: here, the environment's own (unless
        // the team registered a cluster by that name); KubeVela's "local" never gets here (clusterKey)
        else if (opts.clusterName !== 'master') {
          throw new InputError(`the topology names cluster "${opts.clusterName}", which is not registered in this team`, { field: 'policies.topology.clusters' }, 'OAM_CLUSTER_NOT_FOUND');
        }
      }
      const c = await ctx.scope.getCluster(clusterId);
      const creds = await ctx.scope.clusterCredentials(clusterId);
      let t: Target | undefined;
      if (c.kind === 'kubernetes') {
        t = new KubernetesTarget({ kubeconfig: creds.kubeconfig!, cluster: c.name });
      } else if (!opts.dryRun) {
        const [username, ...rest] = (creds.gitCredentials ?? '').split(':');
        t = new GitOpsTarget({
          repo: c.git!.url,
          workdir: join(ctx.config.dataDir, 'gitops', c.id),
          credentials: creds.gitCredentials ? { username: username ?? 'git', password: rest.join(':') } : undefined,
          branch: () => c.git!.branch,
          path: (s) => posix.join(c.git!.path || '.', s.env, s.cluster, s.namespace, s.app),
        });
      }
      return opts.dryRun ? new DryRunTarget(t) : t!;
    },
  };
}
