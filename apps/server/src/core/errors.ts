// The one place where errors become HTTP answers: {error: {code, message, details}}.
// Validation errors name the field path; 5xx never carry internals.
import type { FastifyError, FastifyInstance } from 'fastify';
import { isPlatformError } from '@sreworks/kernel';

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldPath(context: string | undefined, e: AjvError): string {
  const parts = (e.instancePath ?? '').split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required' && e.params?.missingProperty) parts.push(String(e.params.missingProperty));
  if (e.keyword === 'additionalProperties' && e.params?.additionalProperty) parts.push(String(e.params.additionalProperty));
  let out = context ?? 'body';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : `.${p}`;
  return out;
}

function describe(e: AjvError): string {
  if (e.keyword === 'additionalProperties') return 'is not a known field';
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'enum') return `must be one of ${JSON.stringify(e.params?.allowedValues)}`;
  return e.message ?? 'is invalid';
}

function isUniqueViolation(err: any): boolean {
  return err?.code === '23505' || err?.code === 'ER_DUP_ENTRY' || err?.errno === 1062 || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { validation?: AjvError[]; validationContext?: string }, request, reply) => {
    if (err.validation) {
      const details = err.validation.map((e) => ({ field: fieldPath(err.validationContext, e), message: describe(e) }));
      const first = details[0];
      return reply.status(400).send({
        error: { code: 'INPUT_INVALID', message: first ? `${first.field} ${first.message}` : 'invalid request', details },
      });
    }
    if (isPlatformError(err)) {
      if (err.status === 429 && (err as any).retryAfterSeconds) reply.header('retry-after', String((err as any).retryAfterSeconds));
      if (err.status >= 500) request.log.error({ err }, 'platform error');
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details ?? null } });
    }
    if (isUniqueViolation(err)) {
      return reply.status(409).send({ error: { code: 'CONFLICT_EXISTS', message: 'a resource with this name already exists', details: null } });
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status < 500) {
      // Fastify's own 4xx (bad JSON, body too large, unsupported media type): safe to pass on.
      return reply.status(status).send({ error: { code: err.code ?? 'BAD_REQUEST', message: err.message, details: null } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: `internal error (request ${request.id})`, details: null } });
  });

}
