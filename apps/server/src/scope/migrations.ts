import { columnTypes, sql, type Migration } from '@sreworks/store';

export const scopeMigrations: Migration[] = [
  {
    name: '20261126_02_scope_clusters_environments',
    async up(db, d) {
      const t = columnTypes(d);
      await db.schema
        .createTable('scope_cluster')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('team_id', sql.raw(t.id), (c) => c.notNull().references('iam_team.id'))
        .addColumn('name', sql.raw('varchar(63)'), (c) => c.notNull())
        .addColumn('kind', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('description', sql.raw(t.text))
        .addColumn('api_server', sql.raw(t.name))
        .addColumn('kubeconfig_sealed', sql.raw(t.text))
        .addColumn('git_url', sql.raw(t.name))
        .addColumn('git_branch', sql.raw(t.name))
        .addColumn('git_path', sql.raw(t.name))
        .addColumn('git_credentials_sealed', sql.raw(t.text))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .addUniqueConstraint('scope_cluster_team_name', ['team_id', 'name'])
        .execute();
      await db.schema
        .createTable('scope_environment')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('team_id', sql.raw(t.id), (c) => c.notNull().references('iam_team.id'))
        .addColumn('name', sql.raw('varchar(63)'), (c) => c.notNull())
        .addColumn('cluster_id', sql.raw(t.id), (c) => c.notNull().references('scope_cluster.id'))
        .addColumn('namespace', sql.raw('varchar(63)'), (c) => c.notNull())
        .addColumn('stage', sql.raw('varchar(32)'), (c) => c.notNull())
        .addColumn('description', sql.raw(t.text))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .addUniqueConstraint('scope_environment_team_name', ['team_id', 'name'])
        .execute();
    },
  },
];
