// Kubernetes `Status` objects shaped exactly as kube-apiserver returns them
// (k8s.io/apimachinery/pkg/api/errors), so clients parse them as they would a real server's.

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error the HTTP layer turns into a Status response. */
export class StatusError extends Error {
  readonly status: KubeStatus;
  constructor(status: KubeStatus) {
    super(status.message ?? status.reason ?? 'error');
    this.status = status;
  }
}

/** `deployments.apps` or `pods`: the resource as named in messages. */
export function qualifiedResource(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const status: KubeStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = stripUndefined(details);
  return new StatusError(status);
}

function stripUndefined(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  for (const [k, v] of Object.entries(d)) if (v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  return out;
}

export function notFound(plural: string, group: string, name: string): StatusError {
  return failure(404, 'NotFound', `${qualifiedResource(plural, group)} "${name}" not found`, { name, group, kind: plural });
}

export function alreadyExists(plural: string, group: string, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(plural, group)} "${name}" already exists`, { name, group, kind: plural });
}

export function conflict(plural: string, group: string, name: string, why: string): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(plural, group)} "${name}": ${why}`, {
    name,
    group,
    kind: plural,
  });
}

export function applyConflict(causes: StatusCause[], message: string): StatusError {
  return failure(409, 'Conflict', message, { causes });
}

/** 422: `Deployment.apps "x" is invalid: <field>: <detail>, ...` (kind is the Kind here, not the plural). */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const summary = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`;
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, { name, group, kind, causes });
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function methodNotAllowed(): StatusError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unsupportedMediaType(accepted: string[]): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function gone(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function internalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: 'UnexpectedServerResponse', message }] });
}

export function pageNotFound(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource');
}

export function success(plural: string, group: string, name: string, uid: string): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: stripUndefined({ name, group, kind: plural, uid }), code: 200 };
}

export function forbidden(message: string, details?: StatusDetails): StatusError {
  return failure(403, 'Forbidden', message, details);
}

export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}
