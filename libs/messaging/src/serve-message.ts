import { performance } from 'node:perf_hooks';
import { fail, fieldIssuesOf, ok, type ServiceError, type ServiceErrorCode, type ServiceReply } from '#libs/contracts';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { MessageMetrics } from './message-metrics.js';

/** Turns a thrown error into the refusal a caller may see, or undefined for an internal error. */
export type ErrorTranslator = (error: unknown) => { code: ServiceErrorCode; message: string } | undefined;

export interface ServeMessageDeps {
  readonly metrics: MessageMetrics;
  readonly logger: Logger;
  readonly translate: ErrorTranslator;
}

/**
 * The boundary of a service's message handler: the payload is validated (a bad one is refused with
 * its fields, the handler never sees it), the handler's domain errors become coded refusals, anything
 * else is logged and answered `INTERNAL` without its details; every outcome is counted and timed.
 */
export async function serveMessage<S extends z.ZodType, T>(
  deps: ServeMessageDeps,
  pattern: string,
  schema: S,
  payload: unknown,
  handle: (message: z.output<S>) => Promise<T>,
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
  try {
    return done('ok', ok(await handle(parsed.data)));
  } catch (error) {
    const refusal = deps.translate(error);
    if (refusal) return done('refused', fail(refusal satisfies ServiceError));
    deps.logger.error({ err: error, pattern }, 'message handler failed');
    return done('error', fail({ code: 'INTERNAL', message: 'internal error' }));
  }
}
