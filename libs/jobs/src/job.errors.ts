import { FaultlineError } from '#libs/errors';

/**
 * Thrown by a processor for a failure no retry can fix (an image that does not decode, a refused
 * message): the job is dead-lettered at once, with this message, instead of using up its attempts.
 */
export class PermanentJobError extends FaultlineError<'JOB_PERMANENT_FAILURE'> {
  readonly code = 'JOB_PERMANENT_FAILURE' as const;
}

/** `enqueue` got no answer from Redis within its deadline. The add may still happen later (harmless: same job id). */
export class EnqueueTimeoutError extends FaultlineError<'JOB_ENQUEUE_TIMEOUT'> {
  readonly code = 'JOB_ENQUEUE_TIMEOUT' as const;

  constructor(
    readonly queue: string,
    readonly jobId: string,
    readonly timeoutMs: number,
  ) {
    super(`enqueueing ${jobId} on ${queue}: no answer from Redis within ${timeoutMs} ms`);
  }
}

/** A job id BullMQ would refuse (see `jobIdFor`). */
export class InvalidJobIdError extends FaultlineError<'JOB_ID_INVALID'> {
  readonly code = 'JOB_ID_INVALID' as const;
}

export const isPermanentJobError = (error: unknown): error is PermanentJobError => error instanceof PermanentJobError;
export const isEnqueueTimeoutError = (error: unknown): error is EnqueueTimeoutError => error instanceof EnqueueTimeoutError;
export const isInvalidJobIdError = (error: unknown): error is InvalidJobIdError => error instanceof InvalidJobIdError;
