import type { DefaultJobOptions, KeepJobs, WorkerOptions } from 'bullmq';

/**
 * The lab's job conventions in one place, so a queue, a worker, a test's child process and the benchmark
 * all run with the same numbers. See ../README.md for why each value is what it is.
 */

/** Retries: a failed attempt is tried again after 1 s, 2 s, 4 s, 8 s (±25 % jitter), then dead-lettered. */
export interface RetrySettings {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; doubled for each later one (BullMQ's `exponential` backoff). */
  readonly backoffMs: number;
  /** Fraction of each delay drawn at random (0..1), so jobs failing together do not retry together. */
  readonly jitter: number;
}

export const DEFAULT_RETRY: RetrySettings = { attempts: 5, backoffMs: 1_000, jitter: 0.25 };

/**
 * How long a finished job stays in Redis. Job ids are derived from the event that caused the job, and
 * BullMQ ignores an `add` whose id exists: for as long as the completed job is kept, a redelivered event
 * enqueues nothing (the dedup window). Past it, the processors' own idempotency keeps the effect single.
 * Failed (dead-lettered) jobs are never removed automatically: an operator retries or removes them.
 */
export const KEEP_COMPLETED: KeepJobs = { age: 24 * 3600, count: 10_000 };

/**
 * Stalled-job detection. A worker holds a lock per active job for `lockDurationMs` and renews it every
 * half of that (a renewal also unmarks it); every `stalledIntervalMs` some worker's checker marks the
 * active jobs, and moves back to wait a job it had marked on an earlier run whose lock is gone. A
 * SIGKILLed worker's lock expires at most lockDuration after the kill, and the next check moves its job:
 * picked up again at most lockDuration + stalledInterval after the kill (7 s), usually sooner (measured:
 * see ../README.md). A job that stalls more than `maxStalledCount` times is dead-lettered.
 *
 * The lock must outlive the longest pause of a live worker's event loop (GC, a busy 2-core machine):
 * a lock that expires under a live worker makes the job run twice — harmless for effect (processors
 * are idempotent), but wasted work. Sharp resizes in libuv's thread pool, so the loop stays free.
 */
export interface StalledJobSettings {
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
}

export const DEFAULT_STALLED: StalledJobSettings = { lockDurationMs: 5_000, stalledIntervalMs: 2_000, maxStalledCount: 2 };

/** The options every job gets when its queue adds it. */
export function jobOptionsOf(retry: RetrySettings = DEFAULT_RETRY, keepCompleted: KeepJobs = KEEP_COMPLETED): DefaultJobOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs, jitter: retry.jitter },
    removeOnComplete: keepCompleted,
    // The dead letters: kept until someone looks at them.
    removeOnFail: false,
  };
}

/** The stalled-job part of a BullMQ Worker's options. */
export function stalledOptionsOf(
  settings: StalledJobSettings = DEFAULT_STALLED,
): Pick<WorkerOptions, 'lockDuration' | 'lockRenewTime' | 'stalledInterval' | 'maxStalledCount'> {
  return {
    lockDuration: settings.lockDurationMs,
    lockRenewTime: Math.floor(settings.lockDurationMs / 2),
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
  };
}

/** Key prefix of every queue (BullMQ's default): `bull:<queue>:…` in Redis. */
export const DEFAULT_PREFIX = 'bull';
