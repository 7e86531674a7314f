import { perms, type PermissionDef } from '@sreworks/kernel';

/**
 * Custom components run sandboxed (opaque-origin iframe), so team members may write them.
 * Remote components run in the console's realm: only platform admins register them.
 */
export const componentPermissions: PermissionDef[] = [
  ...perms('component', 'team', {
    read: 'List custom and remote components and read their source',
    write: 'Save custom JSX components (sandboxed)',
    delete: 'Delete custom components',
  }),
  ...perms('remote-component', 'platform', {
    write: 'Register remote components by URL (they run with the console privileges)',
    delete: 'Delete remote components',
  }),
];
