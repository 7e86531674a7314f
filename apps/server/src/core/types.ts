import type { PlatformRole, TeamRole } from '@sreworks/kernel';

export interface AuthContext {
  userId: string;
  username: string;
  platformRole: PlatformRole;
  /** team id → role */
  teams: Map<string, TeamRole>;
  /** set when the call carries an API token */
  token?: { id: string; scopes: string[] };
  via: 'session' | 'token';
  /** may the caller do `permission` (in `teamId` for team-scoped ones)? */
  can(permission: string, teamId?: string): boolean;
  /** team ids in which the caller has `action` (all teams for admins: returns undefined). */
  teamsWith(action: string): string[] | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** permission name from a package's permissions.ts, or 'public' (health, login, OpenAPI). */
    permission?: string;
    /** the team owning the target, for team-scoped permissions. */
    team?: (request: FastifyRequest) => string | undefined | Promise<string | undefined>;
    /** skip the automatic audit record (e.g. high-volume ingestion). */
    noAudit?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    auditTarget?: string;
    auditDetails?: Record<string, unknown>;
  }
}
