import { columnTypes, sql, type Migration } from '@sreworks/store';

export const identityMigrations: Migration[] = [
  {
    name: '20261126_01_identity_users_teams',
    async up(db, d) {
      const t = columnTypes(d);
      await db.schema
        .createTable('iam_user')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('username', sql.raw('varchar(64)'), (c) => c.notNull().unique())
        .addColumn('display_name', sql.raw(t.name), (c) => c.notNull())
        .addColumn('email', sql.raw(t.name))
        .addColumn('password_hash', sql.raw(t.name))
        .addColumn('platform_role', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('iam_team')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('name', sql.raw('varchar(64)'), (c) => c.notNull().unique())
        .addColumn('description', sql.raw(t.text))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('iam_team_member')
        .addColumn('team_id', sql.raw(t.id), (c) => c.notNull().references('iam_team.id').onDelete('cascade'))
        .addColumn('user_id', sql.raw(t.id), (c) => c.notNull().references('iam_user.id').onDelete('cascade'))
        .addColumn('role', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addPrimaryKeyConstraint('iam_team_member_pk', ['team_id', 'user_id'])
        .execute();
      await db.schema.createIndex('iam_team_member_user').on('iam_team_member').column('user_id').execute();
      await db.schema
        .createTable('iam_session')
        .addColumn('id', sql.raw('varchar(64)'), (c) => c.primaryKey()) // sha256 of the cookie value
        .addColumn('user_id', sql.raw(t.id), (c) => c.notNull().references('iam_user.id').onDelete('cascade'))
        .addColumn('csrf', sql.raw('varchar(64)'), (c) => c.notNull())
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('expires_at', sql.raw(t.ts), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('iam_token')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('user_id', sql.raw(t.id), (c) => c.notNull().references('iam_user.id').onDelete('cascade'))
        .addColumn('name', sql.raw(t.name), (c) => c.notNull())
        .addColumn('token_hash', sql.raw('varchar(64)'), (c) => c.notNull().unique())
        .addColumn('prefix', sql.raw('varchar(16)'), (c) => c.notNull())
        .addColumn('scopes', sql.raw(t.json), (c) => c.notNull())
        .addColumn('expires_at', sql.raw(t.ts))
        .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('last_used_at', sql.raw(t.ts))
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', sql.raw(t.id), (c) => c.primaryKey())
        .addColumn('at', sql.raw(t.ts), (c) => c.notNull())
        .addColumn('actor_id', sql.raw(t.id))
        .addColumn('actor', sql.raw('varchar(64)'))
        .addColumn('action', sql.raw(t.name), (c) => c.notNull())
        .addColumn('permission', sql.raw('varchar(64)'))
        .addColumn('target', sql.raw(t.name))
        .addColumn('outcome', 'integer', (c) => c.notNull())
        .addColumn('ip', sql.raw('varchar(64)'))
        .addColumn('request_id', sql.raw('varchar(64)'))
        .addColumn('details', sql.raw(t.json))
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    },
  },
];
