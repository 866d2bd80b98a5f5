import { performance } from 'node:perf_hooks';
import {
  fail,
  fieldIssuesOf,
  ok,
  parseRequestDeadline,
  REQUEST_DEADLINE_HEADER,
  type ServiceError,
  type ServiceErrorCode,
  type ServiceReply,
} from '#libs/contracts';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { MessageMetrics } from './message-metrics.js';

/** Turns a thrown error into the refusal a caller may see, or undefined for an internal error. */
export type ErrorTranslator = (error: unknown) => { code: ServiceErrorCode; message: string } | undefined;

export interface ServeMessageDeps {
  readonly metrics: MessageMetrics;
  readonly logger: Logger;
  readonly translate: ErrorTranslator;
  /** Milliseconds since the epoch (default Date.now): what a request's deadline is compared with. */
  readonly now?: () => number;
}

/** What a handler gets besides its message. */
export interface MessageContext {
  /**
   * Aborts when the caller's deadline passes (absent when the request carried none). Pass it to work that
   * has not started yet — a queue, a retry loop — so nobody works for a caller that is gone; once a
   * command has begun to write, finishing it is usually better than leaving half of it.
   */
  readonly signal?: AbortSignal;
}

/** The part of a NATS message's headers (Nest's `NatsContext.getHeaders()`) a deadline is read from. */
export interface MessageHeaders {
  get(name: string): string;
}

/** The caller's deadline, from the request's REQUEST_DEADLINE_HEADER; undefined without one. */
export const deadlineOf = (headers: MessageHeaders | undefined): number | undefined =>
  parseRequestDeadline(headers?.get(REQUEST_DEADLINE_HEADER) || undefined);

const MAX_TIMER_MS = 2 ** 31 - 1;

const expired = (pattern: string): ServiceError => ({
  code: 'DEADLINE_EXCEEDED',
  message: `${pattern}: the caller's deadline passed before the service got to it`,
});

/**
 * The boundary of a service's message handler: the payload is validated (a bad one is refused with
 * its fields, the handler never sees it), the handler's domain errors become coded refusals, anything
 * else is logged and answered `INTERNAL` without its details; every outcome is counted and timed.
 * A request whose `deadline` has passed is not handled at all (DEADLINE_EXCEEDED, outcome `expired`), and
 * the handler's signal aborts when it passes during the work.
 */
export async function serveMessage<S extends z.ZodType, T>(
  deps: ServeMessageDeps,
  pattern: string,
  schema: S,
  payload: unknown,
  handle: (message: z.output<S>, context: MessageContext) => Promise<T>,
  deadline?: number,
): Promise<ServiceReply<T>> {
  const started = performance.now();
  const done = <R extends ServiceReply<T>>(outcome: Parameters<MessageMetrics['observe']>[1], reply: R): R => {
    deps.metrics.observe(pattern, outcome, (performance.now() - started) / 1000);
    return reply;
  };
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return done('invalid', fail({ code: 'VALIDATION_FAILED', message: `invalid ${pattern} message`, fields: fieldIssuesOf(parsed.error) }));
  }
  const left = deadline === undefined ? undefined : deadline - (deps.now ?? Date.now)();
  if (left !== undefined && left <= 0) return done('expired', fail(expired(pattern)));
  // Timers hold 2^31 - 1 ms at most; a deadline weeks away is no deadline.
  const signal = left === undefined || left > MAX_TIMER_MS ? undefined : AbortSignal.timeout(left);
  try {
    return done('ok', ok(await handle(parsed.data, signal ? { signal } : {})));
  } catch (error) {
    // Whatever the abort interrupted (a queue, a retry loop, a sleep) failed because the caller left.
    if (signal?.aborted && error === signal.reason) return done('expired', fail(expired(pattern)));
    const refusal = deps.translate(error);
    if (refusal) return done('refused', fail(refusal satisfies ServiceError));
    deps.logger.error({ err: error, pattern }, 'message handler failed');
    return done('error', fail({ code: 'INTERNAL', message: 'internal error' }));
  }
}
