import { setTimeout } from 'node:timers/promises';
import { describeError } from './describe-error.js';

export interface RetryUntilDoneOptions {
  /** Aborting stops the retries at once (and is passed to `task`, so an attempt in flight can give up too). */
  readonly signal: AbortSignal;
  /** What is being made ready, for the log lines: `user schema` → "user schema not ready yet; retrying". */
  readonly what: string;
  readonly log: (level: 'info' | 'warn', fields: Record<string, unknown>, message: string) => void;
  /** Delay before attempt n+1: `stepMs · n`, at most `maxMs` (default 250 ms steps up to 2 s). */
  readonly stepMs?: number;
  readonly maxMs?: number;
}

/**
 * Runs `task` until it succeeds or `signal` aborts; never rejects. For what a service sets up on
 * dependencies that may be down when it starts (chaos): tables on every shard, say. The service starts
 * anyway and serves what it can; readiness reports the dependency meanwhile.
 */
export async function retryUntilDone(task: (signal: AbortSignal) => Promise<unknown>, options: RetryUntilDoneOptions): Promise<void> {
  const { signal, what, log, stepMs = 250, maxMs = 2_000 } = options;
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await task(signal);
      if (attempt > 1) log('info', { attempt }, `${what} ready`);
      return;
    } catch (error) {
      if (signal.aborted) return;
      log('warn', { attempt, error: describeError(error).message }, `${what} not ready yet; retrying`);
      await setTimeout(Math.min(stepMs * attempt, maxMs), undefined, { signal }).catch(() => undefined);
    }
  }
}
