// Users, teams, sessions and API tokens. Passwords are scrypt-hashed; session and token secrets
// are stored as SHA-256 hashes only, so a database dump grants no access.
import {
  AuthError, ConflictError, InputError, NotFoundError, hashPassword, hashToken, newId, randomToken, verifyPassword,
  type PlatformRole, type TeamRole,
} from '@sreworks/kernel';
import { fromJson, nowIso, toJson, type Store } from '@sreworks/store';

export const SESSION_TTL_MS = 12 * 3600_000;
const CACHE_TTL_MS = 5_000;

export interface Principal {
  userId: string;
  username: string;
  platformRole: PlatformRole;
  teams: Map<string, TeamRole>;
  token?: { id: string; scopes: string[] };
  csrf?: string;
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  platform_role: PlatformRole;
  disabled: number;
  created_at: string;
}

export function publicUser(u: UserRow) {
  return { id: u.id, username: u.username, displayName: u.display_name, email: u.email, platformRole: u.platform_role, disabled: !!u.disabled, createdAt: u.created_at };
}

export class IdentityService {
  // Short cache of resolved principals: a hot authenticated read costs no query. Revocation in
  // this process is immediate (invalidate); other replicas see it within CACHE_TTL_MS.
  private cache = new Map<string, { at: number; p: Principal | null }>();

  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  async createUser(input: { username: string; password?: string; displayName?: string; email?: string; platformRole?: PlatformRole }): Promise<UserRow> {
    const now = nowIso();
    const row = {
      id: newId(),
      username: input.username,
      display_name: input.displayName ?? input.username,
      email: input.email ?? null,
      password_hash: input.password ? await hashPassword(input.password) : null,
      platform_role: input.platformRole ?? 'user',
      disabled: 0,
      created_at: now,
      updated_at: now,
    };
    const exists = await this.db.selectFrom('iam_user').select('id').where('username', '=', input.username).executeTakeFirst();
    if (exists) throw new ConflictError(`user "${input.username}" already exists`, 'IAM_USER_EXISTS', { field: 'body.username' });
    await this.db.insertInto('iam_user').values(row).execute();
    return row as UserRow;
  }

  async userCount(): Promise<number> {
    const r = await this.db.selectFrom('iam_user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async getUser(id: string): Promise<UserRow> {
    const u = await this.db.selectFrom('iam_user').selectAll().where('id', '=', id).executeTakeFirst();
    if (!u) throw new NotFoundError(`user ${id} not found`, 'IAM_USER_NOT_FOUND');
    return u as UserRow;
  }

  async updateUser(id: string, patch: { displayName?: string; email?: string; platformRole?: PlatformRole; disabled?: boolean; password?: string }) {
    await this.getUser(id);
    const values: Record<string, unknown> = { updated_at: nowIso() };
    if (patch.displayName !== undefined) values.display_name = patch.displayName;
    if (patch.email !== undefined) values.email = patch.email;
    if (patch.platformRole !== undefined) values.platform_role = patch.platformRole;
    if (patch.disabled !== undefined) values.disabled = patch.disabled ? 1 : 0;
    if (patch.password !== undefined) values.password_hash = await hashPassword(patch.password);
    await this.db.updateTable('iam_user').set(values).where('id', '=', id).execute();
    if (patch.disabled || patch.password !== undefined) await this.db.deleteFrom('iam_session').where('user_id', '=', id).execute();
    this.invalidateUser(id);
    return this.getUser(id);
  }

  /** Checks a password; the same answer and similar time for an unknown user and a wrong password. */
  async login(username: string, password: string): Promise<{ user: UserRow; sessionToken: string; csrf: string }> {
    const u = await this.db.selectFrom('iam_user').selectAll().where('username', '=', username).executeTakeFirst();
    const ok = await verifyPassword(password, (u?.password_hash as string) ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    if (!u || !ok || u.disabled) throw new AuthError('wrong username or password', 'AUTH_BAD_CREDENTIALS');
    const sessionToken = randomToken(32);
    const csrf = randomToken(24);
    const now = Date.now();
    await this.db
      .insertInto('iam_session')
      .values({ id: hashToken(sessionToken), user_id: u.id, csrf, created_at: new Date(now).toISOString(), expires_at: new Date(now + SESSION_TTL_MS).toISOString() })
      .execute();
    return { user: u as UserRow, sessionToken, csrf };
  }

  async logout(sessionToken: string): Promise<void> {
    const id = hashToken(sessionToken);
    await this.db.deleteFrom('iam_session').where('id', '=', id).execute();
    this.cache.delete('s:' + id);
  }

  async changePassword(userId: string, current: string, next: string): Promise<void> {
    const u = await this.db.selectFrom('iam_user').select(['password_hash']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (!(await verifyPassword(current, (u.password_hash as string) ?? ''))) {
      throw new InputError('current password is wrong', { field: 'body.currentPassword' }, 'IAM_PASSWORD_WRONG');
    }
    await this.db.updateTable('iam_user').set({ password_hash: await hashPassword(next), updated_at: nowIso() }).where('id', '=', userId).execute();
    this.invalidateUser(userId);
  }

  async resolveSession(sessionToken: string): Promise<Principal | null> {
    const id = hashToken(sessionToken);
    return this.cached('s:' + id, async () => {
      const row = await this.db
        .selectFrom('iam_session as s')
        .innerJoin('iam_user as u', 'u.id', 's.user_id')
        .select(['u.id as userId', 'u.username', 'u.platform_role', 'u.disabled', 's.csrf', 's.expires_at'])
        .where('s.id', '=', id)
        .executeTakeFirst();
      if (!row || row.disabled || String(row.expires_at) < nowIso()) return null;
      return { userId: row.userId, username: row.username, platformRole: row.platform_role, teams: await this.teamRoles(row.userId), csrf: row.csrf };
    });
  }

  async resolveToken(token: string): Promise<Principal | null> {
    const h = hashToken(token);
    return this.cached('t:' + h, async () => {
      const row = await this.db
        .selectFrom('iam_token as t')
        .innerJoin('iam_user as u', 'u.id', 't.user_id')
        .select(['t.id as tokenId', 't.scopes', 't.expires_at', 'u.id as userId', 'u.username', 'u.platform_role', 'u.disabled'])
        .where('t.token_hash', '=', h)
        .executeTakeFirst();
      if (!row || row.disabled || (row.expires_at && String(row.expires_at) < nowIso())) return null;
      void this.db.updateTable('iam_token').set({ last_used_at: nowIso() }).where('id', '=', row.tokenId).execute().catch(() => {});
      return {
        userId: row.userId,
        username: row.username,
        platformRole: row.platform_role,
        teams: await this.teamRoles(row.userId),
        token: { id: row.tokenId, scopes: fromJson<string[]>(row.scopes) },
      };
    });
  }

  private async cached(key: string, load: () => Promise<Principal | null>): Promise<Principal | null> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.p;
    const p = await load();
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { at: Date.now(), p });
    return p;
  }

  invalidate(): void {
    this.cache.clear();
  }

  /** Drops the cached sessions and tokens of one user (their roles or teams changed). */
  invalidateUser(userId: string): void {
    for (const [k, v] of this.cache) if (v.p?.userId === userId) this.cache.delete(k);
  }

  async teamRoles(userId: string): Promise<Map<string, TeamRole>> {
    const rows = await this.db.selectFrom('iam_team_member').select(['team_id', 'role']).where('user_id', '=', userId).execute();
    return new Map(rows.map((r) => [r.team_id as string, r.role as TeamRole]));
  }

  async createToken(userId: string, input: { name: string; scopes: string[]; expiresAt?: string | null }) {
    const secret = 'swt_' + randomToken(32);
    const row = {
      id: newId(),
      user_id: userId,
      name: input.name,
      token_hash: hashToken(secret),
      prefix: secret.slice(0, 10),
      scopes: toJson(input.scopes),
      expires_at: input.expiresAt ?? null,
      created_at: nowIso(),
      last_used_at: null,
    };
    await this.db.insertInto('iam_token').values(row).execute();
    return { token: secret, ...publicToken(row) };
  }

  async listTokens(userId: string) {
    const rows = await this.db.selectFrom('iam_token').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
    return rows.map(publicToken);
  }

  async revokeToken(userId: string, id: string, asAdmin: boolean): Promise<void> {
    let q = this.db.deleteFrom('iam_token').where('id', '=', id);
    if (!asAdmin) q = q.where('user_id', '=', userId);
    const r = await q.executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new NotFoundError(`token ${id} not found`, 'IAM_TOKEN_NOT_FOUND');
    this.cache.clear();
  }
}

function publicToken(r: any) {
  return { id: r.id as string, name: r.name as string, prefix: r.prefix as string, scopes: fromJson<string[]>(r.scopes), expiresAt: r.expires_at ?? null, createdAt: r.created_at as string, lastUsedAt: r.last_used_at ?? null };
}
