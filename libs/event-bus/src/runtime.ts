/** Small helpers the relay and the consumers share. */

export type EventBusLogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Where the bus says what it does. Adapt pino with `(level, msg, fields) => logger[level](fields, msg)`. */
export type EventBusLog = (level: EventBusLogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;
export const silentLog: EventBusLog = () => undefined;

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * Delay before retry `attempt` (1-based): `baseMs · 2^(attempt-1)` capped at `maxMs`, with equal jitter
 * (half fixed, half random) so that instances retrying the same thing do not move in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** One line for logs. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
