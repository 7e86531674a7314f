// Build secrets: a team's git and registry credentials, referenced by name from a build spec
// (`git.credentialsSecret`, `pushSecret`). The fields are sealed with the kernel Sealer before they
// are stored; nothing here returns them except resolve(), which only the build runner calls to
// write them into a Secret on the build cluster.
import { InputError, NotFoundError, newId, z, type Sealer } from '@sreworks/kernel';
import { nowIso, type Store } from '@sreworks/store';
import { dockerConfigJson } from '../builds/kaniko.js';

export const BUILD_SECRET_KINDS = ['registry', 'git'] as const;
export type BuildSecretKind = (typeof BUILD_SECRET_KINDS)[number];

/** What the API shows of a secret: never its fields. */
export interface BuildSecretInfo {
  team: string;
  name: string;
  kind: BuildSecretKind;
  /** Which fields are set (names only), e.g. ["username", "password"]. */
  fields: string[];
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export const BuildSecretName = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label: lower-case letters, digits and dashes');
const field = z.string().min(1).max(10_000);
export const RegistrySecretData = z.strictObject({
  /** A full docker config JSON ({"auths": {...}}), or registry + username + password. */
  dockerconfigjson: z.string().min(2).max(100_000).optional(),
  registry: z.string().min(1).max(255).optional(),
  username: field.optional(),
  password: field.optional(),
});
export const GitSecretData = z.strictObject({
  username: field.optional(),
  password: field.optional(),
  /** A personal/app access token; used as the password (username defaults to x-access-token). */
  token: field.optional(),
});

const fail = (message: string, fieldPath: string) => new InputError(message, { field: fieldPath }, 'OAM_BUILD_SECRET');

/** Validate and normalise what a secret of each kind holds (the runner's input shape). */
export function normaliseBuildSecret(kind: BuildSecretKind, data: unknown): Record<string, string> {
  if (kind === 'registry') {
    const r = RegistrySecretData.safeParse(data);
    if (!r.success) throw fail(`registry secret: ${r.error.issues.map((i) => `${['data', ...i.path].join('.')}: ${i.message}`).join('; ')}`, ['body.data', ...(r.error.issues[0]?.path ?? []).map(String)].join('.'));
    const d = r.data;
    if (d.dockerconfigjson) {
      if (d.username || d.password || d.registry) throw fail('registry secret: give dockerconfigjson or registry/username/password, not both', 'body.data.dockerconfigjson');
      // the same check the Job render applies, so a bad secret fails here and not in a build
      try {
        dockerConfigJson('x/y', { dockerconfigjson: d.dockerconfigjson });
      } catch (e) {
        throw fail((e as Error).message.replace('push secret', 'registry secret'), 'body.data.dockerconfigjson');
      }
      return { dockerconfigjson: d.dockerconfigjson };
    }
    if (!d.username || !d.password) throw fail('registry secret needs username and password (or dockerconfigjson)', d.username ? 'body.data.password' : 'body.data.username');
    return { ...(d.registry ? { registry: d.registry } : {}), username: d.username, password: d.password };
  }
  const r = GitSecretData.safeParse(data);
  if (!r.success) throw fail(`git secret: ${r.error.issues.map((i) => `${['data', ...i.path].join('.')}: ${i.message}`).join('; ')}`, ['body.data', ...(r.error.issues[0]?.path ?? []).map(String)].join('.'));
  const d = r.data;
  if (d.token && d.password) throw fail('git secret: give token or password, not both', 'body.data.token');
  const password = d.token ?? d.password;
  if (!password) throw fail('git secret needs a token, or username and password', 'body.data.token');
  if (d.password && !d.username) throw fail('git secret with a password needs a username', 'body.data.username');
  return { username: d.username ?? 'x-access-token', password };
}

const info = (r: any): BuildSecretInfo => ({ team: r.team_id, name: r.name, kind: r.kind, fields: String(r.fields ?? '').split(',').filter(Boolean), createdAt: r.created_at, updatedAt: r.updated_at, updatedBy: r.updated_by ?? null });

export class BuildSecretStore {
  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
  ) {}

  private get db() {
    return this.store.db;
  }

  /** Create or replace a secret. */
  async set(team: string, name: string, kind: BuildSecretKind, data: unknown, actor?: string): Promise<BuildSecretInfo> {
    const n = BuildSecretName.safeParse(name);
    if (!n.success) throw fail(`secret name: ${n.error.issues[0]?.message}`, 'params.name');
    if (!(BUILD_SECRET_KINDS as readonly string[]).includes(kind)) throw fail(`kind must be one of ${BUILD_SECRET_KINDS.join(', ')}`, 'body.kind');
    const fields = normaliseBuildSecret(kind, data);
    const now = nowIso();
    const sealed = this.sealer.seal(JSON.stringify(fields));
    const v = { kind, value_sealed: sealed, fields: Object.keys(fields).sort().join(','), updated_at: now, updated_by: actor ?? null };
    const upd = await this.db.updateTable('oam_build_secret').set(v).where('team_id', '=', team).where('name', '=', name).executeTakeFirst();
    if (Number(upd.numUpdatedRows) === 0) {
      try {
        await this.db.insertInto('oam_build_secret').values({ id: newId(), team_id: team, name, created_at: now, ...v }).execute();
      } catch (e) {
        // a concurrent set() inserted it first: ours replaces it
        const again = await this.db.updateTable('oam_build_secret').set(v).where('team_id', '=', team).where('name', '=', name).executeTakeFirst();
        if (Number(again.numUpdatedRows) === 0) throw e;
      }
    }
    return this.info(team, name);
  }

  async info(team: string, name: string): Promise<BuildSecretInfo> {
    const r = await this.db.selectFrom('oam_build_secret').select(['team_id', 'name', 'kind', 'fields', 'created_at', 'updated_at', 'updated_by']).where('team_id', '=', team).where('name', '=', name).executeTakeFirst();
    if (!r) throw new NotFoundError(`build secret "${name}" not found in this team`, 'OAM_BUILD_SECRET_NOT_FOUND');
    return info(r);
  }

  /** Secrets of these teams (undefined: every team, for platform admins). */
  async list(teams: string[] | undefined): Promise<BuildSecretInfo[]> {
    if (teams && teams.length === 0) return [];
    let q = this.db.selectFrom('oam_build_secret').select(['team_id', 'name', 'kind', 'fields', 'created_at', 'updated_at', 'updated_by']);
    if (teams) q = q.where('team_id', 'in', teams);
    const rows = await q.orderBy('team_id').orderBy('name').limit(1000).execute();
    return rows.map(info);
  }

  async delete(team: string, name: string): Promise<void> {
    const r = await this.db.deleteFrom('oam_build_secret').where('team_id', '=', team).where('name', '=', name).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new NotFoundError(`build secret "${name}" not found in this team`, 'OAM_BUILD_SECRET_NOT_FOUND');
  }

  /** The unsealed fields, for the build runner only. */
  async resolve(team: string, name: string): Promise<Record<string, string> | undefined> {
    const r = await this.db.selectFrom('oam_build_secret').select(['value_sealed']).where('team_id', '=', team).where('name', '=', name).executeTakeFirst();
    return r ? (JSON.parse(this.sealer.open(String(r.value_sealed))) as Record<string, string>) : undefined;
  }
}
