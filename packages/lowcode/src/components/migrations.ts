import type { Migration } from '@sreworks/store';
import { columnTypes, sql } from '@sreworks/store';

/** Custom (JSX written in the browser) and remote (loaded by URL) components, versioned. */
export const componentMigrations: Migration[] = [
  {
    name: '20261126_02_lowcode_components',
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('lowcode_components')
        .addColumn('name', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('kind', sql.raw(t.id), (c) => c.notNull())
        .addColumn('team_id', sql.raw(t.id))
        .addColumn('latest_version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_by', sql.raw(t.id))
        .execute();
      await db.schema
        .createTable('lowcode_component_versions')
        .addColumn('name', sql.raw(t.id), (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('def', sql.raw(t.json), (c) => c.notNull())
        .addColumn('comment', sql.raw(t.name))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('created_by', sql.raw(t.id))
        .addPrimaryKeyConstraint('lowcode_component_versions_pk', ['name', 'version'])
        .execute();
    },
    async down(db) {
      await db.schema.dropTable('lowcode_component_versions').execute();
      await db.schema.dropTable('lowcode_components').execute();
    },
  },
];
