// Authentication (session cookie, Bearer token, or Basic with a token as password) and the one
// permission check for every route. Routes declare `config.permission`; a route under an API
// prefix without one makes the server refuse to start.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AuthError, NotAllowedError, PLATFORM_USER_ACTIONS, TEAM_ROLE_ACTIONS, scopeAllows,
  type Action, type PermissionRegistry,
} from '@sreworks/kernel';
import type { IdentityService, Principal } from '../identity/service.js';
import type { AuthContext } from './types.js';

export const SESSION_COOKIE = 'sw_session';
export const CSRF_COOKIE = 'sw_csrf';
export const API_PREFIXES = ['/api', '/prometheus', '/loki', '/otlp'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthOptions {
  identity: IdentityService;
  permissions: PermissionRegistry;
  /** every API route registered, with its permission (for the enumeration test and docs). */
  routeLog?: Array<{ method: string; url: string; permission: string }>;
}

export function isApiPath(url: string): boolean {
  return API_PREFIXES.some((p) => url === p || url.startsWith(p + '/'));
}

function makeContext(p: Principal, via: 'session' | 'token', registry: PermissionRegistry): AuthContext {
  const can = (permission: string, teamId?: string): boolean => {
    const def = registry.get(permission);
    if (!def) return false;
    if (p.token && !scopeAllows(p.token.scopes, permission)) return false;
    if (p.platformRole === 'admin') return true;
    if (def.scope === 'self') return true;
    if (def.scope === 'platform') return PLATFORM_USER_ACTIONS.includes(def.action);
    if (teamId) {
      const role = p.teams.get(teamId);
      return !!role && TEAM_ROLE_ACTIONS[role].includes(def.action);
    }
    // No team named: reads are allowed (lists are filtered to the caller's teams); other actions
    // need that action in at least one team.
    if (def.action === 'read') return true;
    return [...p.teams.values()].some((r) => TEAM_ROLE_ACTIONS[r].includes(def.action));
  };
  return {
    userId: p.userId,
    username: p.username,
    platformRole: p.platformRole,
    teams: p.teams,
    token: p.token,
    via,
    can,
    teamsWith(action: string) {
      if (p.platformRole === 'admin') return undefined;
      return [...p.teams.entries()].filter(([, r]) => TEAM_ROLE_ACTIONS[r].includes(action as Action)).map(([t]) => t);
    },
  };
}

async function authenticate(req: FastifyRequest, identity: IdentityService): Promise<{ p: Principal; via: 'session' | 'token' } | null> {
  const h = req.headers.authorization;
  if (h) {
    const [scheme, value] = h.split(' ', 2);
    let token: string | undefined;
    if (/^bearer$/i.test(scheme ?? '')) token = value?.trim();
    else if (/^basic$/i.test(scheme ?? '') && value) {
      // remote_write and Grafana set basic auth most easily: the token is the password.
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      token = decoded.slice(decoded.indexOf(':') + 1);
    }
    if (!token) throw new AuthError('unsupported Authorization header; use "Bearer <token>"', 'AUTH_BAD_HEADER');
    const p = await identity.resolveToken(token);
    if (!p) throw new AuthError('the API token is unknown, revoked or expired', 'AUTH_BAD_TOKEN');
    return { p, via: 'token' };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (cookie) {
    const p = await identity.resolveSession(cookie);
    if (p) return { p, via: 'session' };
  }
  return null;
}

export const authPlugin = fp<AuthOptions>(
  async (app: FastifyInstance, opts) => {
    app.decorateRequest('auth', null);

    app.addHook('onRoute', (route) => {
      if (!isApiPath(route.url)) return;
      const permission = route.config?.permission;
      if (!permission) throw new Error(`route ${route.method} ${route.url} declares no config.permission`);
      if (permission !== 'public' && !opts.permissions.get(permission)) {
        throw new Error(`route ${route.method} ${route.url} names undeclared permission "${permission}"`);
      }
      for (const m of [route.method].flat()) if (m !== 'HEAD') opts.routeLog?.push({ method: m, url: route.url, permission });
    });

    app.addHook('onRequest', async (req) => {
      const permission = req.routeOptions.config?.permission;
      if (permission === undefined || permission === 'public') {
        // public routes still see who is calling when credentials come along
        if (permission === 'public' && (req.headers.authorization || req.cookies?.[SESSION_COOKIE])) {
          const a = await authenticate(req, opts.identity).catch(() => null);
          if (a) req.auth = makeContext(a.p, a.via, opts.permissions);
        }
        return;
      }
      const a = await authenticate(req, opts.identity);
      if (!a) throw new AuthError();
      if (a.via === 'session' && !SAFE_METHODS.has(req.method)) {
        const sent = req.headers['x-csrf-token'];
        if (!sent || sent !== a.p.csrf) throw new NotAllowedError('missing or wrong x-csrf-token header (copy it from the sw_csrf cookie)', 'AUTH_CSRF');
      }
      req.auth = makeContext(a.p, a.via, opts.permissions);
    });

    app.addHook('preHandler', async (req) => {
      const cfg = req.routeOptions.config;
      const permission = cfg?.permission;
      if (!permission || permission === 'public' || !req.auth) return;
      const team = cfg.team ? await cfg.team(req) : undefined;
      if (!req.auth.can(permission, team)) {
        const def = opts.permissions.get(permission)!;
        if (req.auth.token && !scopeAllows(req.auth.token.scopes, permission)) {
          throw new NotAllowedError(`the API token's scopes do not include ${permission}`, 'AUTH_TOKEN_SCOPE', { permission });
        }
        throw new NotAllowedError(
          team ? `you need ${permission} in team ${team}` : `you need the ${permission} permission (${def.description})`,
          'AUTH_FORBIDDEN',
          { permission, ...(team ? { team } : {}) },
        );
      }
    });
  },
  { name: 'sreworks-auth', dependencies: ['@fastify/cookie'] },
);
