import { perms, type PermissionDef } from '@sreworks/kernel';

export const oamPermissions: PermissionDef[] = [
  ...perms('app', 'team', {
    read: 'see OAM apps, revisions and deployments',
    write: 'create and update OAM apps',
    deploy: 'deploy, roll back, resume and cancel deployments',
    delete: 'delete OAM apps',
  }),
  ...perms('build-secret', 'team', {
    read: 'list build secrets (names and kinds only; values are never returned)',
    write: 'set git and registry credentials for builds',
    delete: 'delete build secrets',
  }),
  ...perms('definition', 'platform', {
    read: 'list component, trait, policy and workflow-step definitions',
    write: 'add, upgrade, disable definitions and import plugins (platform admins)',
  }),
];
