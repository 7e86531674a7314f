// Target errors: stable codes (listed in docs/errors.md by the lead) with the object named.

import { ConflictError, InputError, NotFoundError, PlatformError, type ErrorDetails } from '@sreworks/kernel';
import type { ObjectRef, ObjectStatus } from './types.js';

export function refText(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** Kubernetes `Status` body as far as we read it. */
export interface KubeStatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: Array<{ reason?: string; message?: string; field?: string }>; name?: string; kind?: string };
}

export class TargetUnavailableError extends PlatformError {
  constructor(message: string, details?: ErrorDetails, cause?: unknown) {
    super('OAM_TARGET_UNAVAILABLE', 503, message, details, cause);
  }
}

export class WaitTimeoutError extends PlatformError {
  readonly statuses: ObjectStatus[];
  constructor(message: string, statuses: ObjectStatus[]) {
    super('OAM_TARGET_WAIT_TIMEOUT', 504, message, { waitingFor: statuses.filter((s) => !s.healthy).map((s) => ({ object: refText(s.ref), phase: s.phase, message: s.message })) });
    this.statuses = statuses;
  }
}

export class DegradedError extends PlatformError {
  readonly statuses: ObjectStatus[];
  constructor(message: string, statuses: ObjectStatus[]) {
    super('OAM_TARGET_DEGRADED', 409, message, { degraded: statuses.filter((s) => s.phase === 'degraded').map((s) => ({ object: refText(s.ref), message: s.message })) });
    this.statuses = statuses;
  }
}

export class WaitAbortedError extends PlatformError {
  constructor(message: string) {
    super('OAM_TARGET_WAIT_ABORTED', 409, message);
  }
}

/** Turn an API Status into the platform error that says what happened to which object. */
export function fromKubeStatus(code: number, body: KubeStatusBody | undefined, ref: ObjectRef | undefined, action: string, cluster: string): PlatformError {
  const what = ref ? refText(ref) : 'request';
  const msg = body?.message ?? `HTTP ${code}`;
  const causes = body?.details?.causes ?? [];
  const base = { object: ref ? refText(ref) : undefined, cluster, reason: body?.reason, causes: causes.length > 0 ? causes : undefined };
  if (code === 409 && causes.some((c) => c.reason === 'FieldManagerConflict')) {
    const managers = [...new Set(causes.map((c) => (c.message ?? '').replace(/^conflict with /, '')))];
    return new ConflictError(`${action} ${what} on cluster ${cluster}: ${msg}. Another field manager owns these fields; resolve it or apply with force`, 'OAM_TARGET_APPLY_CONFLICT', {
      ...base,
      field: causes[0]?.field,
      managers,
    });
  }
  if (code === 409) return new ConflictError(`${action} ${what} on cluster ${cluster}: ${msg}`, 'OAM_TARGET_CONFLICT', base);
  if (code === 422 || code === 400) {
    return new InputError(`${action} ${what} on cluster ${cluster}: ${msg}`, { ...base, field: causes[0]?.field ?? 'objects' }, code === 422 ? 'OAM_TARGET_INVALID' : 'OAM_TARGET_BAD_REQUEST');
  }
  if (code === 404) return new NotFoundError(`${action} ${what} on cluster ${cluster}: ${msg}`, 'OAM_TARGET_NOT_FOUND', base);
  if (code === 401 || code === 403) return new PlatformError('OAM_TARGET_AUTH', 502, `${action} ${what}: cluster ${cluster} refused our credentials (${code}): ${msg}`, base);
  return new TargetUnavailableError(`${action} ${what}: cluster ${cluster} answered ${code}: ${msg}`, base);
}
