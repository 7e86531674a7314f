// The permission registry: every package declares its permissions here (name, resource, action,
// description), and every route names one in `config.permission`. Roles map to actions.

export type Action = 'read' | 'write' | 'delete' | 'deploy' | 'run' | 'admin';
export type TeamRole = 'owner' | 'admin' | 'member' | 'viewer';
export type PlatformRole = 'admin' | 'user';

export interface PermissionDef {
  /** e.g. "app.deploy", "cluster.read". */
  name: string;
  resource: string;
  action: Action;
  description: string;
  /** team: granted by a team role on the owning team; platform: by the platform role only. */
  scope: 'team' | 'platform' | 'self';
}

/** Actions each team role grants on the team's resources. */
export const TEAM_ROLE_ACTIONS: Record<TeamRole, readonly Action[]> = {
  viewer: ['read'],
  member: ['read', 'write', 'deploy', 'run'],
  admin: ['read', 'write', 'deploy', 'run', 'delete'],
  owner: ['read', 'write', 'deploy', 'run', 'delete', 'admin'],
};

/** Actions a platform `user` has on platform-scoped resources (admins have all). */
export const PLATFORM_USER_ACTIONS: readonly Action[] = ['read'];

export class PermissionRegistry {
  private readonly defs = new Map<string, PermissionDef>();

  define(...defs: PermissionDef[]): void {
    for (const d of defs) {
      const prev = this.defs.get(d.name);
      if (prev && JSON.stringify(prev) !== JSON.stringify(d)) throw new Error(`permission ${d.name} defined twice`);
      this.defs.set(d.name, d);
    }
  }
  get(name: string): PermissionDef | undefined {
    return this.defs.get(name);
  }
  list(): PermissionDef[] {
    return [...this.defs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** Helper for packages: `perms('app', 'team', {read: '…', write: '…'})`. */
export function perms(resource: string, scope: PermissionDef['scope'], actions: Partial<Record<Action, string>>): PermissionDef[] {
  return Object.entries(actions).map(([action, description]) => ({
    name: `${resource}.${action}`,
    resource,
    action: action as Action,
    description: description!,
    scope,
  }));
}

/**
 * Token scopes are patterns over permission names: "*", "app.*", "*.read", "app.deploy".
 * A token may do what its user may do AND what one of its scopes matches.
 */
export function scopeAllows(scopes: readonly string[], permission: string): boolean {
  const [res, act] = permission.split('.');
  return scopes.some((s) => {
    if (s === '*' || s === permission) return true;
    const [sr, sa] = s.split('.');
    return (sr === '*' || sr === res) && (sa === '*' || sa === act);
  });
}
