import { CIRCUIT_OPEN, type FieldIssue, type ServiceErrorCode } from '#libs/contracts';
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

/** A service did not answer (timeout, NATS down, an invalid reply): the command may have been applied; the client may retry later. */
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

/**
 * The service's circuit breaker is open: the gateway refused the call without sending it, so nothing was
 * applied (unlike SERVICE_UNAVAILABLE, where the command may have committed before its answer was lost).
 * The HTTP answer is still 503 with `Retry-After`; its code tells the two apart.
 */
export class CircuitOpenError extends FaultlineError<typeof CIRCUIT_OPEN> {
  readonly code = CIRCUIT_OPEN;
  constructor(
    readonly service: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`the ${service} service is unavailable (circuit open): the request was not sent`, options);
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
export const isCircuitOpenError = (error: unknown): error is CircuitOpenError => error instanceof CircuitOpenError;
export const isServiceRefusedError = (error: unknown): error is ServiceRefusedError => error instanceof ServiceRefusedError;
export const isRequestValidationError = (error: unknown): error is RequestValidationError => error instanceof RequestValidationError;
