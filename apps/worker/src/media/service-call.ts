import { serviceReplySchema, type ServiceErrorCode } from '#libs/contracts';
import { FaultlineError } from '#libs/errors';
import { firstValueFrom, timeout, type Observable } from 'rxjs';

/** What a call needs of a transport: Nest's `ClientNats` (any `ClientProxy`) has it. */
export interface RequestTransport {
  send(pattern: string, data: unknown): Observable<unknown>;
}

export type ServiceCallFailure = 'timeout' | 'transport' | 'invalid-reply' | 'refused';

/** Refusals that a later attempt cannot change: the job is dead-lettered at once. */
const PERMANENT_REFUSALS: ReadonlySet<ServiceErrorCode> = new Set(['VALIDATION_FAILED', 'FORBIDDEN', 'EMAIL_TAKEN', 'INVALID_CREDENTIALS']);

/**
 * A request to another service that got no usable answer, or a refusal. `retryable` says whether a
 * later attempt may succeed: no answer (the service is down or slow), NOT_FOUND (the service may read
 * a replica that has not caught up with the event yet), UNAVAILABLE, CONFLICT, INTERNAL — yes;
 * VALIDATION_FAILED and the like — no.
 */
export class ServiceCallError extends FaultlineError<'SERVICE_CALL_FAILED'> {
  readonly code = 'SERVICE_CALL_FAILED' as const;
  readonly retryable: boolean;

  constructor(
    readonly pattern: string,
    readonly failure: ServiceCallFailure,
    message: string,
    readonly serviceCode?: ServiceErrorCode,
    options?: { cause?: unknown },
  ) {
    super(`${pattern}: ${message}`, options);
    this.retryable = failure !== 'refused' || !PERMANENT_REFUSALS.has(serviceCode!);
  }
}

export const isServiceCallError = (error: unknown): error is ServiceCallError => error instanceof ServiceCallError;

/**
 * One request-reply over the transport within `timeoutMs`, the reply's envelope checked; the value, or
 * ServiceCallError. No retries here: a job that fails is retried by the queue, with backoff, a bounded
 * number of times — the retry budget and the circuit breaker of the gateway's client would only delay
 * that (a worker has no caller waiting to answer fast).
 */
export async function requestReply<T>(transport: RequestTransport, pattern: string, payload: unknown, timeoutMs: number): Promise<T> {
  let answer: unknown;
  try {
    answer = await firstValueFrom(transport.send(pattern, payload).pipe(timeout(timeoutMs)));
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const message = timedOut ? `no answer within ${timeoutMs} ms` : `transport failed: ${error instanceof Error ? error.message : String(error)}`;
    throw new ServiceCallError(pattern, timedOut ? 'timeout' : 'transport', message, undefined, { cause: error });
  }
  const reply = serviceReplySchema.safeParse(answer);
  if (!reply.success) throw new ServiceCallError(pattern, 'invalid-reply', 'the reply is not a service reply envelope', undefined, { cause: reply.error });
  if (!reply.data.ok) throw new ServiceCallError(pattern, 'refused', `refused: ${reply.data.error.code}: ${reply.data.error.message}`, reply.data.error.code);
  return reply.data.value as T;
}
