import { perms, type PermissionDef } from '@sreworks/kernel';

/** Reading and editing pages are separate from publishing them (what every viewer sees). */
export const lowcodePermissions: PermissionDef[] = [
  ...perms('page', 'team', {
    read: 'List ops apps and read their menus and pages',
    write: 'Save page drafts and import pages',
    delete: 'Delete pages',
    deploy: 'Publish a page draft so every viewer gets it',
  }),
];
