import { columnTypes, sql, type Migration } from '@sreworks/store';

export const oamMigrations: Migration[] = [
  {
    name: '20261126_10_oam_apps_revisions_deployments',
    async up(db, d) {
      const t = columnTypes(d);
      await db.schema
        .createTable('oam_definition')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('kind', sql.raw('varchar(32)'), (c) => c.notNull())
        .addColumn('name', sql.raw('varchar(128)'), (c) => c.notNull())
        .addColumn('version', sql.raw('varchar(64)'), (c) => c.notNull())
        .addColumn('definition', sql.raw(t.json), (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('source', sql.raw(t.name))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addUniqueConstraint('oam_definition_kind_name_version', ['kind', 'name', 'version'])
        .execute();
      await db.schema
        .createTable('oam_definition_change')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('action', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('kind', sql.raw('varchar(32)'), (c) => c.notNull())
        .addColumn('name', sql.raw('varchar(128)'), (c) => c.notNull())
        .addColumn('version', sql.raw('varchar(64)'), (c) => c.notNull())
        .addColumn('actor', sql.raw('varchar(64)'))
        .addColumn('source', sql.raw(t.name))
        .addColumn('at', sql.raw(t.ts), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('oam_app')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('team_id', sql.raw(t.id), (c) => c.notNull())
        .addColumn('name', sql.raw('varchar(128)'), (c) => c.notNull())
        .addColumn('description', sql.raw(t.text))
        .addColumn('spec', sql.raw(t.text), (c) => c.notNull())
        .addColumn('format', sql.raw('varchar(32)'), (c) => c.notNull())
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .addUniqueConstraint('oam_app_team_name', ['team_id', 'name'])
        .execute();
      await db.schema
        .createTable('oam_revision')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('app_id', sql.raw(t.id), (c) => c.notNull().references('oam_app.id').onDelete('cascade'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('env_id', sql.raw(t.id), (c) => c.notNull())
        .addColumn('spec', sql.raw(t.text), (c) => c.notNull())
        .addColumn('definitions', sql.raw(t.json), (c) => c.notNull())
        .addColumn('parameters', sql.raw(t.json), (c) => c.notNull())
        .addColumn('rendered', sql.raw(t.json), (c) => c.notNull())
        .addColumn('created_by', sql.raw('varchar(64)'))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addUniqueConstraint('oam_revision_app_number', ['app_id', 'number'])
        .execute();
      await db.schema
        .createTable('oam_deployment')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('app_id', sql.raw(t.id), (c) => c.notNull().references('oam_app.id').onDelete('cascade'))
        .addColumn('revision_id', sql.raw(t.id), (c) => c.notNull())
        .addColumn('env_id', sql.raw(t.id), (c) => c.notNull())
        .addColumn('status', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('message', sql.raw(t.text))
        .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rollback_of', sql.raw(t.id))
        .addColumn('lease_owner', sql.raw('varchar(64)'))
        .addColumn('lease_until', sql.raw(t.ts))
        .addColumn('created_by', sql.raw('varchar(64)'))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('started_at', sql.raw(t.ts))
        .addColumn('finished_at', sql.raw(t.ts))
        .execute();
      await db.schema.createIndex('oam_deployment_status').on('oam_deployment').column('status').execute();
      await db.schema
        .createTable('oam_deployment_node')
        .addColumn('deployment_id', sql.raw(t.id), (c) => c.notNull().references('oam_deployment.id').onDelete('cascade'))
        .addColumn('node_id', sql.raw('varchar(255)'), (c) => c.notNull())
        .addColumn('kind', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('name', sql.raw(t.name), (c) => c.notNull())
        .addColumn('type', sql.raw(t.name), (c) => c.notNull())
        .addColumn('status', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('message', sql.raw(t.text))
        .addColumn('objects', sql.raw(t.json))
        .addColumn('started_at', sql.raw(t.ts))
        .addColumn('finished_at', sql.raw(t.ts))
        .addPrimaryKeyConstraint('oam_deployment_node_pk', ['deployment_id', 'node_id'])
        .execute();
      await db.schema
        .createTable('oam_deployment_event')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('deployment_id', sql.raw(t.id), (c) => c.notNull().references('oam_deployment.id').onDelete('cascade'))
        .addColumn('at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('level', sql.raw('varchar(8)'), (c) => c.notNull())
        .addColumn('node_id', sql.raw('varchar(255)'))
        .addColumn('message', sql.raw(t.text), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oam_deployment_event_dep').on('oam_deployment_event').column('deployment_id').execute();
    },
  },
];

oamMigrations.push({
  name: '20261126_11_oam_builds',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('oam_build')
      .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
      .addColumn('app_id', sql.raw(t.id), (c) => c.notNull().references('oam_app.id').onDelete('cascade'))
      .addColumn('component', sql.raw(t.name), (c) => c.notNull())
      .addColumn('env_id', sql.raw(t.id), (c) => c.notNull())
      .addColumn('spec', sql.raw(t.json), (c) => c.notNull())
      .addColumn('status', sql.raw('varchar(16)'), (c) => c.notNull())
      .addColumn('message', sql.raw(t.text))
      .addColumn('job', sql.raw(t.name))
      .addColumn('digest', sql.raw(t.name))
      .addColumn('image', sql.raw(t.text))
      .addColumn('logs', sql.raw(t.text))
      .addColumn('created_by', sql.raw('varchar(64)'))
      .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
      .addColumn('finished_at', sql.raw(t.ts))
      .execute();
  },
});

// Builds survive a restart: a lease says which process follows a build (another one, or the same
// after a restart, takes over when it expires) and a deadline ends every wait.
oamMigrations.push({
  name: '20261126_12_oam_build_lease',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema.alterTable('oam_build').addColumn('lease_owner', sql.raw('varchar(64)')).execute();
    await db.schema.alterTable('oam_build').addColumn('lease_until', sql.raw(t.ts)).execute();
    await db.schema.alterTable('oam_build').addColumn('deadline_at', sql.raw(t.ts)).execute();
    await db.schema.createIndex('oam_build_status').on('oam_build').column('status').execute();
  },
});

// A team's build credentials (git, registry), sealed with the kernel Sealer.
oamMigrations.push({
  name: '20261126_13_oam_build_secrets',
  async up(db, d) {
    const t = columnTypes(d);
    await db.schema
      .createTable('oam_build_secret')
      .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
      .addColumn('team_id', sql.raw(t.id), (c) => c.notNull())
      .addColumn('name', sql.raw('varchar(63)'), (c) => c.notNull())
      .addColumn('kind', sql.raw('varchar(16)'), (c) => c.notNull())
      .addColumn('value_sealed', sql.raw(t.text), (c) => c.notNull())
      .addColumn('fields', sql.raw('varchar(255)'), (c) => c.notNull())
      .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
      .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
      .addColumn('updated_by', sql.raw('varchar(64)'))
      .addUniqueConstraint('oam_build_secret_team_name', ['team_id', 'name'])
      .execute();
  },
});
