import type { FastifyPluginAsync } from 'fastify';
import { ConflictError, InputError, NotFoundError, errorBody, errorResponses, newId, pageSchema, toSchema, z, type PermissionRegistry, type TeamRole } from '@sreworks/kernel';
import { clampLimit, decodeCursor, nowIso, toPage, fromJson, type Store } from '@sreworks/store';
import { CSRF_COOKIE, SESSION_COOKIE } from '../core/auth.js';
import { IdentityService, SESSION_TTL_MS, publicUser } from './service.js';
import { LoginThrottle } from './ratelimit.js';

const User = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), email: z.string().nullable(),
  platformRole: z.enum(['admin', 'user']), disabled: z.boolean(), createdAt: z.string(),
});
const Token = z.object({
  id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()),
  expiresAt: z.string().nullable(), createdAt: z.string(), lastUsedAt: z.string().nullable(),
});
const Team = z.object({ id: z.string(), name: z.string(), description: z.string().nullable(), createdAt: z.string(), role: z.string().nullable() });
const Member = z.object({ userId: z.string(), username: z.string(), displayName: z.string(), role: z.enum(['owner', 'admin', 'member', 'viewer']) });
const Username = z.string().min(1).max(64).regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');
const Password = z.string().min(10, 'at least 10 characters').max(256);
const Scope = z.string().min(1).max(64).regex(/^(\*|[a-z][a-z0-9-]*|\*)(\.(\*|[a-z][a-z0-9-]*))?$/, 'a permission pattern like app.read, app.* or *.read');
const ListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(512).optional() });
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const errors = errorResponses(400, 401, 403, 404, 409);
const ok = toSchema(z.object({ ok: z.boolean() }), 'output');

export interface IdentityRouteOptions {
  identity: IdentityService;
  store: Store;
  secureCookies: boolean;
  permissions: PermissionRegistry;
}

export const identityRoutes: FastifyPluginAsync<IdentityRouteOptions> = async (app, { identity, store, secureCookies, permissions }) => {
  const throttle = new LoginThrottle();
  const db = store.db;
  const cookieOpts = { path: '/', sameSite: 'lax' as const, secure: secureCookies, maxAge: SESSION_TTL_MS / 1000 };

  app.post('/auth/login', {
    config: { permission: 'public' },
    schema: {
      tags: ['auth'], summary: 'Log in; sets the session cookie and the CSRF cookie',
      body: toSchema(z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })),
      response: { 200: toSchema(z.object({ user: User, csrfToken: z.string() }), 'output'), ...errors, 429: errorBody },
    },
  }, async (req, reply) => {
    const { username, password } = req.body as { username: string; password: string };
    const keys = [`ip:${req.ip}`, `u:${req.ip}:${username}`];
    throttle.check(keys);
    req.auditTarget = `user/${username}`;
    req.auditDetails = { username };
    try {
      const { user, sessionToken, csrf } = await identity.login(username, password);
      throttle.succeed([keys[1]!]);
      reply.setCookie(SESSION_COOKIE, sessionToken, { ...cookieOpts, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, csrf, { ...cookieOpts, httpOnly: false });
      return { user: publicUser(user), csrfToken: csrf };
    } catch (e) {
      throttle.fail(keys);
      throw e;
    }
  });

  app.post('/auth/logout', {
    config: { permission: 'self.read' },
    schema: { tags: ['auth'], summary: 'Log out (ends the session)', response: { 200: ok, ...errors } },
  }, async (req, reply) => {
    const c = req.cookies[SESSION_COOKIE];
    if (c) await identity.logout(c);
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/auth/me', {
    config: { permission: 'self.read' },
    schema: {
      tags: ['auth'], summary: 'The caller: user, teams and effective permissions',
      response: { 200: toSchema(z.object({ user: User, teams: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })), permissions: z.array(z.string()), via: z.string() }), 'output'), ...errors },
    },
  }, async (req) => {
    const a = req.auth!;
    const user = await identity.getUser(a.userId);
    const ids = [...a.teams.keys()];
    const teams = ids.length ? await db.selectFrom('iam_team').select(['id', 'name']).where('id', 'in', ids).execute() : [];
    const all = permissions.list();
    return {
      user: publicUser(user),
      teams: teams.map((t) => ({ id: t.id, name: t.name, role: a.teams.get(t.id)! })),
      permissions: all.map((p) => p.name).filter((n) => a.can(n) || [...a.teams.keys()].some((t) => a.can(n, t))),
      via: a.via,
    };
  });

  app.post('/auth/password', {
    config: { permission: 'self.write' },
    schema: {
      tags: ['auth'], summary: 'Change your password (ends your other sessions)',
      body: toSchema(z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: Password })),
      response: { 200: ok, ...errors },
    },
  }, async (req) => {
    const b = req.body as { currentPassword: string; newPassword: string };
    await identity.changePassword(req.auth!.userId, b.currentPassword, b.newPassword);
    req.auditTarget = `user/${req.auth!.username}`;
    return { ok: true };
  });

  // ---- API tokens
  app.get('/tokens', {
    config: { permission: 'self.read' },
    schema: { tags: ['tokens'], summary: 'Your API tokens (never the secret)', response: { 200: pageSchema(Token), ...errors } },
  }, async (req) => ({ items: await identity.listTokens(req.auth!.userId), nextCursor: null }));

  app.post('/tokens', {
    config: { permission: 'self.write' },
    schema: {
      tags: ['tokens'], summary: 'Create an API token; the secret is returned once',
      body: toSchema(z.strictObject({
        name: z.string().min(1).max(100),
        scopes: z.array(Scope).min(1).max(50).default(['*']),
        expiresAt: z.iso.datetime().nullable().optional(),
      })),
      response: { 201: toSchema(Token.extend({ token: z.string() }), 'output'), ...errors },
    },
  }, async (req, reply) => {
    const b = req.body as { name: string; scopes: string[]; expiresAt?: string | null };
    if (b.expiresAt && b.expiresAt < nowIso()) throw new InputError('expiresAt is in the past', { field: 'body.expiresAt' });
    const t = await identity.createToken(req.auth!.userId, b);
    req.auditTarget = `token/${t.id}`;
    return reply.status(201).send(t);
  });

  app.delete('/tokens/:id', {
    config: { permission: 'self.write' },
    schema: { tags: ['tokens'], summary: 'Revoke an API token', params: toSchema(IdParams), response: { 200: ok, ...errors } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await identity.revokeToken(req.auth!.userId, id, req.auth!.platformRole === 'admin');
    return { ok: true };
  });

  // ---- users
  app.get('/users', {
    config: { permission: 'user.read' },
    schema: { tags: ['users'], summary: 'List users', querystring: toSchema(ListQuery.extend({ q: z.string().max(64).optional() })), response: { 200: pageSchema(User), ...errors } },
  }, async (req) => {
    const q = req.query as { limit?: number; cursor?: string; q?: string };
    const limit = clampLimit(q.limit);
    const after = decodeCursor(q.cursor);
    let sel = db.selectFrom('iam_user').selectAll().orderBy('username').limit(limit + 1);
    if (after !== undefined) sel = sel.where('username', '>', String(after));
    if (q.q) sel = sel.where('username', 'like', `%${q.q.replace(/[%_\\]/g, (m) => '\\' + m)}%`);
    const rows = (await sel.execute()) as any[];
    const p = toPage(rows, limit, (r) => r.username);
    return { items: p.items.map(publicUser), nextCursor: p.nextCursor };
  });

  app.post('/users', {
    config: { permission: 'user.write' },
    schema: {
      tags: ['users'], summary: 'Create a user',
      body: toSchema(z.strictObject({ username: Username, password: Password, displayName: z.string().min(1).max(255).optional(), email: z.email().max(255).optional(), platformRole: z.enum(['admin', 'user']).default('user') })),
      response: { 201: toSchema(User, 'output'), ...errors },
    },
  }, async (req, reply) => {
    const b = req.body as any;
    if (b.platformRole === 'admin' && req.auth!.platformRole !== 'admin') throw new InputError('only admins may create admins', { field: 'body.platformRole' });
    const u = await identity.createUser(b);
    req.auditTarget = `user/${u.username}`;
    return reply.status(201).send(publicUser(u));
  });

  app.patch('/users/:id', {
    config: { permission: 'user.admin' },
    schema: {
      tags: ['users'], summary: 'Update a user (role, disable, reset password)', params: toSchema(IdParams),
      body: toSchema(z.strictObject({ displayName: z.string().min(1).max(255).optional(), email: z.email().max(255).optional(), platformRole: z.enum(['admin', 'user']).optional(), disabled: z.boolean().optional(), password: Password.optional() })),
      response: { 200: toSchema(User, 'output'), ...errors },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const u = await identity.updateUser(id, req.body as any);
    req.auditTarget = `user/${u.username}`;
    return publicUser(u);
  });

  // ---- teams
  const teamOf = (req: any) => (req.params as { id?: string }).id;

  app.get('/teams', {
    config: { permission: 'team.read' },
    schema: { tags: ['teams'], summary: 'Teams you belong to (all teams for admins)', querystring: toSchema(ListQuery), response: { 200: pageSchema(Team), ...errors } },
  }, async (req) => {
    const q = req.query as { limit?: number; cursor?: string };
    const limit = clampLimit(q.limit);
    const after = decodeCursor(q.cursor);
    const visible = req.auth!.teamsWith('read');
    if (visible && visible.length === 0) return { items: [], nextCursor: null };
    let sel = db.selectFrom('iam_team').selectAll().orderBy('name').limit(limit + 1);
    if (visible) sel = sel.where('id', 'in', visible);
    if (after !== undefined) sel = sel.where('name', '>', String(after));
    const p = toPage((await sel.execute()) as any[], limit, (r) => r.name);
    return { items: p.items.map((t) => ({ id: t.id, name: t.name, description: t.description ?? null, createdAt: t.created_at, role: req.auth!.teams.get(t.id) ?? null })), nextCursor: p.nextCursor };
  });

  app.post('/teams', {
    config: { permission: 'team.write' },
    schema: {
      tags: ['teams'], summary: 'Create a team; you become its owner',
      body: toSchema(z.strictObject({ name: z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label: lower-case letters, digits and dashes'), description: z.string().max(2000).optional() })),
      response: { 201: toSchema(Team, 'output'), ...errors },
    },
  }, async (req, reply) => {
    const b = req.body as { name: string; description?: string };
    const exists = await db.selectFrom('iam_team').select('id').where('name', '=', b.name).executeTakeFirst();
    if (exists) throw new ConflictError(`team "${b.name}" already exists`, 'IAM_TEAM_EXISTS', { field: 'body.name' });
    const row = { id: newId(), name: b.name, description: b.description ?? null, created_at: nowIso() };
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('iam_team').values(row).execute();
      await tx.insertInto('iam_team_member').values({ team_id: row.id, user_id: req.auth!.userId, role: 'owner', created_at: row.created_at }).execute();
    });
    identity.invalidateUser(req.auth!.userId);
    req.auditTarget = `team/${b.name}`;
    return reply.status(201).send({ id: row.id, name: row.name, description: row.description, createdAt: row.created_at, role: 'owner' });
  });

  app.get('/teams/:id', {
    config: { permission: 'team.read', team: teamOf },
    schema: { tags: ['teams'], summary: 'A team', params: toSchema(IdParams), response: { 200: toSchema(Team, 'output'), ...errors } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const t = await db.selectFrom('iam_team').selectAll().where('id', '=', id).executeTakeFirst();
    if (!t) throw new NotFoundError(`team ${id} not found`, 'IAM_TEAM_NOT_FOUND');
    return { id: t.id, name: t.name, description: t.description ?? null, createdAt: t.created_at, role: req.auth!.teams.get(t.id) ?? null };
  });

  app.delete('/teams/:id', {
    config: { permission: 'team.delete', team: teamOf },
    schema: { tags: ['teams'], summary: 'Delete a team (must own no clusters or environments)', params: toSchema(IdParams), response: { 200: ok, ...errors } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const owned = await db.selectFrom('scope_cluster').select('id').where('team_id', '=', id).executeTakeFirst();
    if (owned) throw new ConflictError('the team still owns clusters; delete or move them first', 'IAM_TEAM_NOT_EMPTY');
    const r = await db.deleteFrom('iam_team').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new NotFoundError(`team ${id} not found`, 'IAM_TEAM_NOT_FOUND');
    identity.invalidate();
    return { ok: true };
  });

  app.get('/teams/:id/members', {
    config: { permission: 'team.read', team: teamOf },
    schema: { tags: ['teams'], summary: 'Members of a team', params: toSchema(IdParams), response: { 200: pageSchema(Member), ...errors } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const rows = await db.selectFrom('iam_team_member as m').innerJoin('iam_user as u', 'u.id', 'm.user_id')
      .select(['u.id as userId', 'u.username', 'u.display_name', 'm.role']).where('m.team_id', '=', id).orderBy('u.username').execute();
    return { items: rows.map((r) => ({ userId: r.userId, username: r.username, displayName: r.display_name, role: r.role })), nextCursor: null };
  });

  app.put('/teams/:id/members', {
    config: { permission: 'team.admin', team: teamOf },
    schema: {
      tags: ['teams'], summary: 'Add a member or change a member\'s role', params: toSchema(IdParams),
      body: toSchema(z.strictObject({ username: Username, role: z.enum(['owner', 'admin', 'member', 'viewer']) })),
      response: { 200: toSchema(Member, 'output'), ...errors },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const b = req.body as { username: string; role: TeamRole };
    const team = await db.selectFrom('iam_team').select('id').where('id', '=', id).executeTakeFirst();
    if (!team) throw new NotFoundError(`team ${id} not found`, 'IAM_TEAM_NOT_FOUND');
    const u = await db.selectFrom('iam_user').select(['id', 'username', 'display_name']).where('username', '=', b.username).executeTakeFirst();
    if (!u) throw new InputError(`no user "${b.username}"`, { field: 'body.username' }, 'IAM_USER_NOT_FOUND');
    if (b.role === 'owner' && req.auth!.platformRole !== 'admin' && req.auth!.teams.get(id) !== 'owner') {
      throw new InputError('only an owner may make owners', { field: 'body.role' });
    }
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('iam_team_member').where('team_id', '=', id).where('user_id', '=', u.id).execute();
      await tx.insertInto('iam_team_member').values({ team_id: id, user_id: u.id, role: b.role, created_at: nowIso() }).execute();
    });
    identity.invalidateUser(u.id);
    req.auditTarget = `team/${id}/member/${u.username}`;
    return { userId: u.id, username: u.username, displayName: u.display_name, role: b.role };
  });

  app.delete('/teams/:id/members/:userId', {
    config: { permission: 'team.admin', team: teamOf },
    schema: { tags: ['teams'], summary: 'Remove a member', params: toSchema(z.strictObject({ id: z.string().max(64), userId: z.string().max(64) })), response: { 200: ok, ...errors } },
  }, async (req) => {
    const { id, userId } = req.params as { id: string; userId: string };
    const owners = await db.selectFrom('iam_team_member').select('user_id').where('team_id', '=', id).where('role', '=', 'owner').execute();
    if (owners.length === 1 && owners[0]!.user_id === userId) throw new ConflictError('a team keeps at least one owner', 'IAM_LAST_OWNER');
    const r = await db.deleteFrom('iam_team_member').where('team_id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new NotFoundError('no such member', 'IAM_MEMBER_NOT_FOUND');
    identity.invalidateUser(userId);
    return { ok: true };
  });

  // ---- audit
  const Audit = z.object({
    id: z.string(), at: z.string(), actorId: z.string().nullable(), actor: z.string().nullable(), action: z.string(), permission: z.string().nullable(),
    target: z.string().nullable(), outcome: z.number(), ip: z.string().nullable(), requestId: z.string().nullable(), details: z.any(),
  });
  app.get('/audit', {
    config: { permission: 'audit.admin' },
    schema: {
      tags: ['audit'], summary: 'Query the audit log (newest first)',
      querystring: toSchema(ListQuery.extend({ actor: z.string().max(64).optional(), action: z.string().max(255).optional(), since: z.iso.datetime().optional(), until: z.iso.datetime().optional() })),
      response: { 200: pageSchema(Audit), ...errors },
    },
  }, async (req) => {
    const q = req.query as { limit?: number; cursor?: string; actor?: string; action?: string; since?: string; until?: string };
    const limit = clampLimit(q.limit);
    const after = decodeCursor(q.cursor);
    let sel = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (after !== undefined) sel = sel.where('id', '<', String(after));
    if (q.actor) sel = sel.where('actor', '=', q.actor);
    if (q.action) sel = sel.where('action', 'like', `%${q.action.replace(/[%_\\]/g, (m) => '\\' + m)}%`);
    if (q.since) sel = sel.where('at', '>=', q.since);
    if (q.until) sel = sel.where('at', '<', q.until);
    const p = toPage((await sel.execute()) as any[], limit, (r) => r.id);
    return {
      items: p.items.map((r) => ({ id: r.id, at: r.at, actorId: r.actor_id, actor: r.actor, action: r.action, permission: r.permission, target: r.target, outcome: Number(r.outcome), ip: r.ip, requestId: r.request_id, details: fromJson(r.details) })),
      nextCursor: p.nextCursor,
    };
  });
};
