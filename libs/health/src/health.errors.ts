import { FaultlineError, isFaultlineError } from '#libs/errors';
import type { HealthDetails } from './health-check.js';

/** A check did not answer within its budget; what it was waiting on is cut off. */
export class HealthCheckTimeoutError extends FaultlineError<'HEALTH_CHECK_TIMEOUT'> {
  readonly code = 'HEALTH_CHECK_TIMEOUT' as const;

  constructor(
    readonly check: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** A dependency answered, or partly answered, in a way that makes it unusable. */
export class DependencyUnavailableError extends FaultlineError<'DEPENDENCY_UNAVAILABLE'> {
  readonly code = 'DEPENDENCY_UNAVAILABLE' as const;

  constructor(
    message: string,
    /** Reported next to the error, e.g. the state of every node of a shard. */
    readonly details: HealthDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isHealthCheckTimeoutError = (error: unknown): error is HealthCheckTimeoutError =>
  isFaultlineError(error, 'HEALTH_CHECK_TIMEOUT');

export const isDependencyUnavailableError = (error: unknown): error is DependencyUnavailableError =>
  isFaultlineError(error, 'DEPENDENCY_UNAVAILABLE');
