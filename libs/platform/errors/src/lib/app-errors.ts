/** A field-level problem, `path` in the caller's own spelling (snake_case for REST, camelCase for GraphQL). */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/**
 * An expected failure a person can act on. Domain code throws these; each surface (REST, GraphQL,
 * chat) renders them in its own shape. Anything else is a bug and is reported as an internal error.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export class ValidationError extends AppError {
  constructor(details: readonly ErrorDetail[]) {
    super(
      'validation_failed',
      details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '),
      details,
    );
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} was not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in first: send "Authorization: Bearer <access token>"') {
    super('unauthorized', message);
  }
}

/** A service this one depends on did not answer; the caller may retry later (after `retryAfterSeconds`). */
export class ServiceUnavailableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super('unavailable', message);
  }
}
