import type { Migration } from '@sreworks/store';
import { runMigrations } from './runs.js';
import { logStreamMigrations } from './log-streams.js';

/** All AIOps tables (aiops_run, aiops_log_stream), applied by the server's migrate(). */
export const aiopsMigrations: Migration[] = [...runMigrations, ...logStreamMigrations];
