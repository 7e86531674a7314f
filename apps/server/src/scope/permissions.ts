import { perms, type PermissionDef } from '@sreworks/kernel';

export const scopePermissions: PermissionDef[] = [
  ...perms('cluster', 'team', { read: 'see clusters and GitOps targets', write: 'register and update clusters', delete: 'remove clusters' }),
  ...perms('env', 'team', { read: 'see environments', write: 'create and update environments', delete: 'remove environments' }),
];
