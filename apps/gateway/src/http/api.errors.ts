import type { FieldIssue, ServiceErrorCode } from '#libs/contracts';
import { FaultlineError } from '#libs/errors';

/**
 * Errors the gateway raises itself. Each carries what its HTTP answer needs; `ApiErrorFilter` is the
 * one place that turns them (and the services' error codes) into status codes.
 */
export class RequestValidationError extends FaultlineError<'VALIDATION_FAILED'> {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly fields: readonly FieldIssue[]) {
    super(`invalid request: ${fields.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`);
  }
}

export class UnauthenticatedError extends FaultlineError<'UNAUTHENTICATED'> {
  readonly code = 'UNAUTHENTICATED';
}

export class RateLimitedError extends FaultlineError<'RATE_LIMITED'> {
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests: retry after ${retryAfterSeconds} s`);
  }
}

/** A service did not answer (timeout, circuit open, NATS down): the client may retry later. */
export class ServiceUnavailableError extends FaultlineError<'SERVICE_UNAVAILABLE'> {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A service answered with a refusal: its code decides the status. */
export class ServiceRefusedError extends FaultlineError<ServiceErrorCode> {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly fields?: readonly FieldIssue[],
  ) {
    super(message);
  }
}

export const isServiceUnavailableError = (error: unknown): error is ServiceUnavailableError => error instanceof ServiceUnavailableError;
export const isServiceRefusedError = (error: unknown): error is ServiceRefusedError => error instanceof ServiceRefusedError;
export const isRequestValidationError = (error: unknown): error is RequestValidationError => error instanceof RequestValidationError;
