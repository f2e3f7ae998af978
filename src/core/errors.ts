// Domain errors: services throw these; only server/errors.ts knows their HTTP status and the
// CLI turns them into one-line messages. They never carry secrets in their message.

export type ErrorCode = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'too_large' | 'rate_limited' | 'storage_full' | 'unavailable';

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra members for the problem document (e.g. the offending field); never secrets. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Input that is well-formed in shape but wrong in content, or a parser's rejection. */
export class InvalidError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid', message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(kind: string, id: string | number) {
    super('not_found', `${kind} ${id} not found`, { kind, id: String(id) });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'not permitted') {
    super('forbidden', message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'authentication required') {
    super('unauthenticated', message);
  }
}

/** Input over a size, count or depth limit. */
export class TooLargeError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('too_large', message, details);
  }
}

export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', message, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A store that is full by policy (e.g. the report quarantine's total bound): nothing was kept. */
export class StorageFullError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('storage_full', message, details);
  }
}

/** The server is too busy for this now (a full work queue); the client may retry later. */
export class UnavailableError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('unavailable', message, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
