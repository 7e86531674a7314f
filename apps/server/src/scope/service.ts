// Clusters (Kubernetes with a sealed kubeconfig, or GitOps with a git URL and sealed credentials)
// and environments bound to them. The engine reads them through this service; secrets are
// opened only here and never returned by the API.
import { ConflictError, InputError, NotFoundError, newId, type Sealer } from '@sreworks/kernel';
import { clampLimit, decodeCursor, nowIso, toPage, type Store } from '@sreworks/store';

export type ClusterKind = 'kubernetes' | 'gitops';

export interface ClusterInput {
  team: string;
  name: string;
  kind: ClusterKind;
  description?: string;
  kubeconfig?: string;
  git?: { url: string; branch?: string; path?: string; credentials?: string };
}

export interface Cluster {
  id: string; team: string; name: string; kind: ClusterKind; description: string | null;
  apiServer: string | null; hasKubeconfig: boolean;
  git: { url: string; branch: string; path: string; hasCredentials: boolean } | null;
  createdAt: string; updatedAt: string;
}

export interface Environment {
  id: string; team: string; name: string; cluster: string; clusterName: string | null; namespace: string; stage: string; description: string | null; createdAt: string; updatedAt: string;
}

function apiServerOf(kubeconfig: string): string | null {
  const m = kubeconfig.match(/server:\s*["']?([^\s"']+)/);
  return m ? m[1]! : null;
}

function toCluster(r: any): Cluster {
  return {
    id: r.id, team: r.team_id, name: r.name, kind: r.kind, description: r.description ?? null,
    apiServer: r.api_server ?? null, hasKubeconfig: !!r.kubeconfig_sealed,
    git: r.kind === 'gitops' ? { url: r.git_url, branch: r.git_branch ?? 'main', path: r.git_path ?? '', hasCredentials: !!r.git_credentials_sealed } : null,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

// What a cluster answer shows: never the sealed blobs themselves (kilobytes each), only whether
// they are there, so listing clusters does not read every kubeconfig.
const clusterColumns = (eb: any) => [
  'id', 'team_id', 'name', 'kind', 'description', 'api_server', 'git_url', 'git_branch', 'git_path', 'created_at', 'updated_at',
  eb.case().when('kubeconfig_sealed', 'is not', null).then(1).else(0).end().as('kubeconfig_sealed'),
  eb.case().when('git_credentials_sealed', 'is not', null).then(1).else(0).end().as('git_credentials_sealed'),
];

export class ScopeService {
  constructor(private readonly store: Store, private readonly sealer: Sealer) {}
  private get db() {
    return this.store.db;
  }

  private validateCluster(c: { kind: ClusterKind; kubeconfig?: string | null; git?: ClusterInput['git'] | null }) {
    if (c.kind === 'kubernetes') {
      if (!c.kubeconfig) throw new InputError('a kubernetes cluster needs a kubeconfig', { field: 'body.kubeconfig' }, 'SCOPE_CLUSTER_KUBECONFIG');
      if (!/clusters:/.test(c.kubeconfig) || !apiServerOf(c.kubeconfig)) {
        throw new InputError('kubeconfig must be a kubeconfig YAML with clusters[].cluster.server', { field: 'body.kubeconfig' }, 'SCOPE_CLUSTER_KUBECONFIG');
      }
    } else if (!c.git?.url) {
      throw new InputError('a gitops target needs git.url', { field: 'body.git.url' }, 'SCOPE_CLUSTER_GIT');
    }
  }

  async createCluster(input: ClusterInput): Promise<Cluster> {
    this.validateCluster(input);
    await this.requireTeam(input.team);
    const now = nowIso();
    const row = {
      id: newId(), team_id: input.team, name: input.name, kind: input.kind, description: input.description ?? null,
      api_server: input.kubeconfig ? apiServerOf(input.kubeconfig) : null,
      kubeconfig_sealed: input.kubeconfig ? this.sealer.seal(input.kubeconfig) : null,
      git_url: input.git?.url ?? null, git_branch: input.git?.branch ?? (input.git ? 'main' : null), git_path: input.git?.path ?? (input.git ? '' : null),
      git_credentials_sealed: input.git?.credentials ? this.sealer.seal(input.git.credentials) : null,
      created_at: now, updated_at: now,
    };
    const dup = await this.db.selectFrom('scope_cluster').select('id').where('team_id', '=', input.team).where('name', '=', input.name).executeTakeFirst();
    if (dup) throw new ConflictError(`cluster "${input.name}" already exists in this team`, 'SCOPE_CLUSTER_EXISTS', { field: 'body.name' });
    await this.db.insertInto('scope_cluster').values(row).execute();
    return toCluster(row);
  }

  async getClusterRow(id: string) {
    const r = await this.db.selectFrom('scope_cluster').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`cluster ${id} not found`, 'SCOPE_CLUSTER_NOT_FOUND');
    return r;
  }

  async getCluster(id: string): Promise<Cluster> {
    const r = await this.db.selectFrom('scope_cluster').select(clusterColumns).where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`cluster ${id} not found`, 'SCOPE_CLUSTER_NOT_FOUND');
    return toCluster(r);
  }

  async teamOfCluster(id: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('scope_cluster').select('team_id').where('id', '=', id).executeTakeFirst();
    return r?.team_id;
  }

  /** For the engine only: the opened secrets of a cluster. */
  async clusterCredentials(id: string): Promise<{ kubeconfig?: string; gitCredentials?: string }> {
    const r = await this.getClusterRow(id);
    return {
      kubeconfig: r.kubeconfig_sealed ? this.sealer.open(r.kubeconfig_sealed) : undefined,
      gitCredentials: r.git_credentials_sealed ? this.sealer.open(r.git_credentials_sealed) : undefined,
    };
  }

  async updateCluster(id: string, patch: Partial<Omit<ClusterInput, 'team' | 'kind'>>): Promise<Cluster> {
    const cur = await this.getClusterRow(id);
    if (patch.kubeconfig !== undefined) {
      if (cur.kind !== 'kubernetes') throw new InputError('a gitops target has no kubeconfig', { field: 'body.kubeconfig' }, 'SCOPE_CLUSTER_KUBECONFIG');
      this.validateCluster({ kind: 'kubernetes', kubeconfig: patch.kubeconfig });
    }
    if (patch.git !== undefined && cur.kind !== 'gitops') throw new InputError('a kubernetes cluster has no git settings', { field: 'body.git' }, 'SCOPE_CLUSTER_GIT');
    const v: Record<string, unknown> = { updated_at: nowIso() };
    if (patch.name !== undefined) v.name = patch.name;
    if (patch.description !== undefined) v.description = patch.description;
    if (patch.kubeconfig !== undefined) {
      v.kubeconfig_sealed = this.sealer.seal(patch.kubeconfig);
      v.api_server = apiServerOf(patch.kubeconfig);
    }
    if (patch.git !== undefined) {
      v.git_url = patch.git.url;
      v.git_branch = patch.git.branch ?? 'main';
      v.git_path = patch.git.path ?? '';
      if (patch.git.credentials !== undefined) v.git_credentials_sealed = this.sealer.seal(patch.git.credentials);
    }
    await this.db.updateTable('scope_cluster').set(v).where('id', '=', id).execute();
    return this.getCluster(id);
  }

  async deleteCluster(id: string): Promise<void> {
    await this.getClusterRow(id);
    const env = await this.db.selectFrom('scope_environment').select('name').where('cluster_id', '=', id).executeTakeFirst();
    if (env) throw new ConflictError(`environment "${env.name}" is bound to this cluster; delete it first`, 'SCOPE_CLUSTER_IN_USE');
    await this.db.deleteFrom('scope_cluster').where('id', '=', id).execute();
  }

  async listClusters(q: { teams?: string[]; team?: string; limit?: number; cursor?: string }) {
    const limit = clampLimit(q.limit);
    const after = decodeCursor(q.cursor);
    if (q.teams && q.teams.length === 0) return { items: [], nextCursor: null };
    let sel = this.db.selectFrom('scope_cluster').select(clusterColumns).orderBy('id').limit(limit + 1);
    if (q.teams) sel = sel.where('team_id', 'in', q.teams);
    if (q.team) sel = sel.where('team_id', '=', q.team);
    if (after !== undefined) sel = sel.where('id', '>', String(after));
    const p = toPage(await sel.execute(), limit, (r: any) => r.id);
    return { items: p.items.map(toCluster), nextCursor: p.nextCursor };
  }

  private async requireTeam(team: string) {
    const t = await this.db.selectFrom('iam_team').select('id').where('id', '=', team).executeTakeFirst();
    if (!t) throw new InputError(`team ${team} does not exist`, { field: 'body.team' }, 'SCOPE_TEAM_NOT_FOUND');
  }

  // ---- environments
  async createEnvironment(input: { team: string; name: string; cluster: string; namespace: string; stage: string; description?: string }): Promise<Environment> {
    await this.requireTeam(input.team);
    const c = await this.db.selectFrom('scope_cluster').select(['id', 'team_id']).where('id', '=', input.cluster).executeTakeFirst();
    if (!c) throw new InputError(`cluster ${input.cluster} does not exist`, { field: 'body.cluster' }, 'SCOPE_CLUSTER_NOT_FOUND');
    if (c.team_id !== input.team) throw new InputError('the cluster belongs to another team', { field: 'body.cluster' }, 'SCOPE_CLUSTER_OTHER_TEAM');
    const dup = await this.db.selectFrom('scope_environment').select('id').where('team_id', '=', input.team).where('name', '=', input.name).executeTakeFirst();
    if (dup) throw new ConflictError(`environment "${input.name}" already exists in this team`, 'SCOPE_ENV_EXISTS', { field: 'body.name' });
    const now = nowIso();
    const row = { id: newId(), team_id: input.team, name: input.name, cluster_id: input.cluster, namespace: input.namespace, stage: input.stage, description: input.description ?? null, created_at: now, updated_at: now };
    await this.db.insertInto('scope_environment').values(row).execute();
    return this.getEnvironment(row.id);
  }

  async getEnvironment(id: string): Promise<Environment> {
    const r = await this.db.selectFrom('scope_environment as e').leftJoin('scope_cluster as c', 'c.id', 'e.cluster_id')
      .selectAll('e').select('c.name as cluster_name').where('e.id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`environment ${id} not found`, 'SCOPE_ENV_NOT_FOUND');
    return toEnv(r);
  }

  async teamOfEnvironment(id: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('scope_environment').select('team_id').where('id', '=', id).executeTakeFirst();
    return r?.team_id;
  }

  async updateEnvironment(id: string, patch: { name?: string; cluster?: string; namespace?: string; stage?: string; description?: string }) {
    const cur = await this.getEnvironment(id);
    if (patch.cluster) {
      const c = await this.db.selectFrom('scope_cluster').select('team_id').where('id', '=', patch.cluster).executeTakeFirst();
      if (!c || c.team_id !== cur.team) throw new InputError('cluster not found in this team', { field: 'body.cluster' }, 'SCOPE_CLUSTER_NOT_FOUND');
    }
    const v: Record<string, unknown> = { updated_at: nowIso() };
    if (patch.name !== undefined) v.name = patch.name;
    if (patch.cluster !== undefined) v.cluster_id = patch.cluster;
    if (patch.namespace !== undefined) v.namespace = patch.namespace;
    if (patch.stage !== undefined) v.stage = patch.stage;
    if (patch.description !== undefined) v.description = patch.description;
    await this.db.updateTable('scope_environment').set(v).where('id', '=', id).execute();
    return this.getEnvironment(id);
  }

  async deleteEnvironment(id: string) {
    await this.getEnvironment(id);
    await this.db.deleteFrom('scope_environment').where('id', '=', id).execute();
  }

  async listEnvironments(q: { teams?: string[]; team?: string; limit?: number; cursor?: string }) {
    const limit = clampLimit(q.limit);
    const after = decodeCursor(q.cursor);
    if (q.teams && q.teams.length === 0) return { items: [], nextCursor: null };
    let sel = this.db.selectFrom('scope_environment as e').leftJoin('scope_cluster as c', 'c.id', 'e.cluster_id').selectAll('e').select('c.name as cluster_name').orderBy('e.id').limit(limit + 1);
    if (q.teams) sel = sel.where('e.team_id', 'in', q.teams);
    if (q.team) sel = sel.where('e.team_id', '=', q.team);
    if (after !== undefined) sel = sel.where('e.id', '>', String(after));
    const p = toPage(await sel.execute(), limit, (r: any) => r.id);
    return { items: p.items.map(toEnv), nextCursor: p.nextCursor };
  }
}

function toEnv(r: any): Environment {
  return { id: r.id, team: r.team_id, name: r.name, cluster: r.cluster_id, clusterName: r.cluster_name ?? null, namespace: r.namespace, stage: r.stage, description: r.description ?? null, createdAt: r.created_at, updatedAt: r.updated_at };
}
