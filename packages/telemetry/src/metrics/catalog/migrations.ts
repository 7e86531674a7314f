// DataOps catalogue tables in the state store: data sources and metric definitions, team-owned.
import { columnTypes, sql, type Migration } from '@sreworks/store';

export const telemetryMigrations: Migration[] = [
  {
    name: '20261126_01_telemetry_catalog',
    async up(db, d) {
      const t = columnTypes(d);
      await db.schema
        .createTable('telemetry_datasource')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('team_id', sql.raw(t.id), (c) => c.notNull())
        .addColumn('name', sql.raw(t.name), (c) => c.notNull())
        .addColumn('kind', sql.raw('varchar(32)'), (c) => c.notNull())
        .addColumn('description', sql.raw(t.text))
        .addColumn('config', sql.raw(t.json), (c) => c.notNull())
        .addColumn('created_by', sql.raw(t.id))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .addUniqueConstraint('telemetry_datasource_team_name', ['team_id', 'name'])
        .execute();
      await db.schema
        .createTable('telemetry_metric_def')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('team_id', sql.raw(t.id), (c) => c.notNull())
        .addColumn('name', sql.raw(t.name), (c) => c.notNull())
        .addColumn('type', sql.raw('varchar(32)'), (c) => c.notNull())
        .addColumn('unit', sql.raw('varchar(64)'))
        .addColumn('labels', sql.raw(t.json), (c) => c.notNull())
        .addColumn('owner', sql.raw(t.name))
        .addColumn('description', sql.raw(t.text))
        .addColumn('promql', sql.raw(t.text))
        .addColumn('datasource_id', sql.raw(t.id))
        .addColumn('created_by', sql.raw(t.id))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .addUniqueConstraint('telemetry_metric_def_team_name', ['team_id', 'name'])
        .execute();
      await db.schema.createIndex('telemetry_metric_def_ds').on('telemetry_metric_def').column('datasource_id').execute();
    },
    async down(db) {
      await db.schema.dropTable('telemetry_metric_def').execute();
      await db.schema.dropTable('telemetry_datasource').execute();
    },
  },
];
