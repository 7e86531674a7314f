// One error type for the whole platform: a stable code, an HTTP status, a message and
// details (field paths and the like). The server maps it to {error:{code,message,details}} once.

export interface ErrorDetails {
  /** JSON path of the offending field, e.g. "body.spec.components[0].type". */
  field?: string;
  [key: string]: unknown;
}

export class PlatformError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails | ErrorDetails[] | undefined;

  constructor(code: string, status: number, message: string, details?: ErrorDetails | ErrorDetails[], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PlatformError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** 400: the request is wrong; say which field and what was expected. */
export class InputError extends PlatformError {
  constructor(message: string, details?: ErrorDetails | ErrorDetails[], code = 'INPUT_INVALID', cause?: unknown) {
    super(code, 400, message, details, cause);
  }
}
export class AuthError extends PlatformError {
  constructor(message = 'authentication required', code = 'AUTH_REQUIRED') {
    super(code, 401, message);
  }
}
export class NotAllowedError extends PlatformError {
  constructor(message: string, code = 'AUTH_FORBIDDEN', details?: ErrorDetails) {
    super(code, 403, message, details);
  }
}
export class NotFoundError extends PlatformError {
  constructor(message: string, code = 'NOT_FOUND', details?: ErrorDetails) {
    super(code, 404, message, details);
  }
}
export class ConflictError extends PlatformError {
  constructor(message: string, code = 'CONFLICT', details?: ErrorDetails) {
    super(code, 409, message, details);
  }
}
export class TooManyRequestsError extends PlatformError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, code = 'RATE_LIMITED') {
    super(code, 429, message, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isPlatformError(e: unknown): e is PlatformError {
  return e instanceof PlatformError;
}
