import { perms, type PermissionDef } from '@sreworks/kernel';

/** Telemetry permissions: ingestion writes, queries and the DataOps catalogue read. */
export const telemetryPermissions: PermissionDef[] = perms('telemetry', 'team', {
  read: 'Query metrics and logs, read the DataOps catalogue',
  write: 'Ingest telemetry (remote_write, OTLP, push) and edit the DataOps catalogue',
});
