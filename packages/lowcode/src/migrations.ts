import type { Migration } from '@sreworks/store';
import { columnTypes, sql } from '@sreworks/store';

export const lowcodeMigrations: Migration[] = [
  {
    name: '20261126_01_lowcode_apps_pages',
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('lowcode_apps')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('manifest', sql.raw(t.json), (c) => c.notNull())
        .addColumn('source', sql.raw(t.id), (c) => c.notNull())
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('lowcode_pages')
        .addColumn('app_id', sql.raw(t.id), (c) => c.notNull())
        .addColumn('page_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('title', sql.raw(t.name), (c) => c.notNull())
        .addColumn('draft_version', 'integer')
        .addColumn('published_version', 'integer')
        .addColumn('latest_version', 'integer', (c) => c.notNull())
        .addColumn('source', sql.raw(t.id), (c) => c.notNull())
        /** hash of the ops-app file last loaded, so a changed file republishes an unedited page. */
        .addColumn('builtin_hash', sql.raw(t.id))
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_by', sql.raw(t.id))
        .addPrimaryKeyConstraint('lowcode_pages_pk', ['app_id', 'page_id'])
        .execute();
      await db.schema
        .createTable('lowcode_page_versions')
        .addColumn('app_id', sql.raw(t.id), (c) => c.notNull())
        .addColumn('page_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('def', sql.raw(t.json), (c) => c.notNull())
        .addColumn('comment', sql.raw(t.name))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('created_by', sql.raw(t.id))
        .addPrimaryKeyConstraint('lowcode_page_versions_pk', ['app_id', 'page_id', 'version'])
        .execute();
    },
    async down(db) {
      await db.schema.dropTable('lowcode_page_versions').execute();
      await db.schema.dropTable('lowcode_pages').execute();
      await db.schema.dropTable('lowcode_apps').execute();
    },
  },
];
