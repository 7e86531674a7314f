import { perms, type PermissionDef } from '@sreworks/kernel';

export const identityPermissions: PermissionDef[] = [
  ...perms('self', 'self', { read: 'read your own profile', write: 'change your own password and API tokens' }),
  ...perms('user', 'platform', { read: 'list users', write: 'create and update users', admin: 'change platform roles' }),
  ...perms('team', 'team', {
    read: 'see a team and its members',
    admin: 'manage team members and roles',
    delete: 'delete a team',
  }),
  { name: 'team.write', resource: 'team', action: 'write', description: 'create a team (any signed-in user; the creator becomes its owner)', scope: 'self' },
  ...perms('audit', 'platform', { admin: 'query the audit log' }),
];
