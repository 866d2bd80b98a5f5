import { performance } from 'node:perf_hooks';
import { serviceReplySchema } from '#libs/contracts';
import { firstValueFrom, type Observable, timeout } from 'rxjs';
import { CircuitOpenError, ServiceRefusedError, ServiceUnavailableError } from '../http/api.errors.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { RetryBudget } from './retry-budget.js';
import type { ServiceCallMetrics } from './service-call.metrics.js';

/**
 * What the client needs of a transport: Nest's `ClientNats` (any `ClientProxy`) has it. `deadline`
 * (milliseconds since the epoch) is when the caller stops waiting; a transport that can carries it to the
 * service (REQUEST_DEADLINE_HEADER), which then skips work nobody waits for.
 */
export interface ServiceTransport {
  send(pattern: string, data: unknown, deadline?: number): Observable<unknown>;
}

export interface ServiceClientOptions {
  /** One attempt's deadline. */
  readonly attemptTimeoutMs: number;
  /** Attempts per call at most (first + retries), if the retry budget allows the retries. */
  readonly maxAttempts: number;
  readonly failureThreshold: number;
  readonly openMs: number;
}

export const DEFAULT_SERVICE_CLIENT_OPTIONS: ServiceClientOptions = {
  attemptTimeoutMs: 2_500,
  maxAttempts: 2,
  failureThreshold: 5,
  openMs: 3_000,
};

/**
 * Request-reply to the services over NATS with a deadline per attempt, retries within a shared
 * budget and a circuit breaker per service, so a call never hangs and a dead service costs a fast
 * 503 with `Retry-After` instead of a timeout per request. Every command carries an idempotency key
 * (the request id), so retrying one after a timeout cannot apply it twice.
 */
export class ServiceClient {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly budget = new RetryBudget({ ratio: 0.2, minPerSecond: 5 });

  constructor(
    private readonly transport: ServiceTransport,
    private readonly metrics: ServiceCallMetrics,
    private readonly options: ServiceClientOptions = DEFAULT_SERVICE_CLIENT_OPTIONS,
  ) {}

  /**
   * The reply's `value`; a refusal throws ServiceRefusedError, no answer ServiceUnavailableError, an open
   * circuit (the call not sent) CircuitOpenError.
   */
  async call<T>(pattern: string, payload: unknown): Promise<T> {
    const service = pattern.split('.')[0]!;
    const breaker = this.breakerOf(service);
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    this.budget.recordCall();
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      const admission = breaker.admit();
      this.metrics.circuitState(service, breaker.state);
      if (!admission.admitted) {
        // A refused retry is not "not sent": the first attempt went out and may have been applied.
        if (attempt > 1) break;
        this.metrics.observe(pattern, 'circuit_open', elapsed());
        throw new CircuitOpenError(service, Math.ceil(admission.retryAfterMs / 1000));
      }
      if (attempt > 1) {
        if (!this.budget.tryRetry()) break;
        this.metrics.retried(pattern);
      }
      let answer: unknown;
      try {
        const deadline = Date.now() + this.options.attemptTimeoutMs;
        answer = await firstValueFrom(this.transport.send(pattern, payload, deadline).pipe(timeout(this.options.attemptTimeoutMs)));
      } catch (error) {
        lastError = error;
        breaker.onFailure();
        this.metrics.circuitState(service, breaker.state);
        continue;
      }
      const reply = serviceReplySchema.safeParse(answer);
      if (reply.success && !reply.data.ok && reply.data.error.code === 'DEADLINE_EXCEEDED') {
        // The service got to the request after this attempt's deadline: as good as no answer (a timeout).
        lastError = new ServiceDeadlineExceededError(pattern, reply.data.error.message);
        breaker.onFailure();
        this.metrics.circuitState(service, breaker.state);
        continue;
      }
      breaker.onSuccess();
      this.metrics.circuitState(service, breaker.state);
      if (!reply.success) {
        this.metrics.observe(pattern, 'error', elapsed());
        throw new ServiceUnavailableError(`the ${service} service answered ${pattern} with an invalid reply`, 1, { cause: reply.error });
      }
      if (!reply.data.ok) {
        this.metrics.observe(pattern, 'refused', elapsed());
        throw new ServiceRefusedError(reply.data.error.code, reply.data.error.message, reply.data.error.fields);
      }
      this.metrics.observe(pattern, 'ok', elapsed());
      return reply.data.value as T;
    }
    this.metrics.observe(pattern, isTimeout(lastError) ? 'timeout' : 'error', elapsed());
    throw new ServiceUnavailableError(`the ${service} service did not answer ${pattern}`, 1, { cause: lastError });
  }

  private breakerOf(service: string): CircuitBreaker {
    let breaker = this.breakers.get(service);
    if (!breaker) {
      breaker = new CircuitBreaker({ failureThreshold: this.options.failureThreshold, openMs: this.options.openMs });
      this.breakers.set(service, breaker);
    }
    return breaker;
  }
}

/** A service's DEADLINE_EXCEEDED answer: counted and retried like a timeout. */
class ServiceDeadlineExceededError extends Error {
  override readonly name = 'ServiceDeadlineExceededError';
  constructor(
    readonly pattern: string,
    message: string,
  ) {
    super(message);
  }
}

const isTimeout = (error: unknown): boolean =>
  error instanceof ServiceDeadlineExceededError || (error instanceof Error && error.name === 'TimeoutError');
