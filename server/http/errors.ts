/**
 * One error model: each error carries its HTTP status, the API's fixed code and a message key.
 * The one handler (error-handler.ts) turns it into JSON or a page in the user's language.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string = `error.${code}`,
    readonly params: Record<string, unknown> = {},
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
  }
}

export type FieldErrors = Record<string, { key: string; params?: Record<string, unknown> }>;

export class BadRequestError extends AppError {
  constructor(
    messageKey = 'error.BAD_REQUEST',
    readonly fields?: FieldErrors,
  ) {
    super(400, 'BAD_REQUEST', messageKey);
  }
}
export class UnauthenticatedError extends AppError {
  constructor() {
    super(401, 'UNAUTHENTICATED');
  }
}
export class ForbiddenError extends AppError {
  constructor(messageKey = 'error.FORBIDDEN') {
    super(403, 'FORBIDDEN', messageKey);
  }
}
export class NotFoundError extends AppError {
  constructor(messageKey = 'error.NOT_FOUND') {
    super(404, 'NOT_FOUND', messageKey);
  }
}
/** 422 VALIDATION with per-field reasons (message keys, translated by the handler). */
export class ValidationError extends AppError {
  constructor(
    readonly fields: FieldErrors,
    messageKey = 'error.VALIDATION',
    params: Record<string, unknown> = {},
  ) {
    super(422, 'VALIDATION', messageKey, params);
  }
}
/** A 409 whose code names the conflicting state (INVALID_STATE, ALREADY_AWARDED, SEALED …). */
export class ConflictError extends AppError {
  constructor(
    code: string,
    messageKey = `error.${code}`,
    params: Record<string, unknown> = {},
    details?: Record<string, unknown>,
  ) {
    super(409, code, messageKey, params, details);
  }
}
/** A 422 with a rule's own code (BELOW_THRESHOLD, OUT_OF_RANGE, INVALID_AMOUNT …). */
export class RuleError extends AppError {
  constructor(
    code: string,
    messageKey = `error.${code}`,
    params: Record<string, unknown> = {},
    details?: Record<string, unknown>,
  ) {
    super(422, code, messageKey, params, details);
  }
}
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'RATE_LIMITED');
  }
}
export class UnavailableError extends AppError {
  constructor() {
    super(503, 'UNAVAILABLE');
  }
}
