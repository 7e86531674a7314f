import type { Target } from '../targets/types.js';

/** The environment a deployment goes to, as the platform's scope service knows it. */
export interface DeployEnv {
  id: string;
  name: string;
  team: string;
  namespace: string;
  stage: string;
  clusterId: string;
  clusterName: string;
}

/**
 * The key of the cluster an object is placed on: '' for the environment's own cluster (no
 * cluster, KubeVela's control-plane name "local", or the environment's cluster by name), else
 * the topology cluster's name.
 */
export function clusterKey(cluster: string | undefined, env: DeployEnv): string {
  return !cluster || cluster === 'local' || cluster === env.clusterName ? '' : cluster;
}

/**
 * How the engine reaches a cluster: the platform resolves an environment (and, for topology
 * fan-out, another cluster of the same team by name) to a Target. Tests pass the API double.
 */
export interface TargetResolver {
  environment(envId: string): Promise<DeployEnv>;
  target(env: DeployEnv, opts: { dryRun: boolean; clusterName?: string }): Promise<Target>;
}

export type DeploymentStatus = 'pending' | 'running' | 'suspended' | 'succeeded' | 'failed' | 'canceled';
export type NodeStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

/** A rendered object as kept in a revision. */
export interface StoredObject {
  component: string;
  trait?: string;
  stage: 'pre' | 'default' | 'post';
  role: string;
  reference?: boolean;
  cluster?: string;
  /** the deploy step that places this copy (apps whose deploy steps name policies). */
  step?: string;
  object: import('../targets/types.js').K8sObject;
}
