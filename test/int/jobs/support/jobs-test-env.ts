import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobWorker } from '#libs/jobs';
import { startRedisServer, type RedisServer } from '../../../support/redis-server.js';

export const SETUP_TIMEOUT_MS = 90_000;

export interface JobsTestEnv {
  /** The file's throwaway redis-server. */
  readonly redis: () => RedisServer;
  /** A plain connection to it, for assertions. */
  readonly client: () => Redis;
  /** A queue name no other test uses. */
  queueName(): string;
  /** Runs after the current test, last registered first. */
  onCleanup(step: () => Promise<unknown>): void;
}

/** One throwaway redis-server per test file; fresh queue names per test (as BullMQ's own tests do). */
export function jobsTestEnv(): JobsTestEnv {
  let redis: RedisServer | undefined;
  let client: Redis | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
  }, SETUP_TIMEOUT_MS);
  afterEach(async () => {
    const steps = cleanups.splice(0).reverse();
    for (const step of steps) await step().catch(() => undefined);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  }, SETUP_TIMEOUT_MS);
  return {
    redis: () => redis!,
    client: () => client!,
    queueName: () => `q-${randomUUID().slice(0, 8)}`,
    onCleanup: (step) => cleanups.push(step),
  };
}

/**
 * The next `completed` or `failed` event of job `jobId` on `worker` (subscribe before causing it).
 * `failed` fires for every failed attempt; pass `final` to wait for the one that dead-letters the job.
 */
export function jobEvent<T, R>(
  worker: JobWorker<T, R>,
  event: 'completed' | 'failed',
  jobId: string,
  { final = false, timeoutMs = 30_000 }: { final?: boolean; timeoutMs?: number } = {},
): Promise<{ job: Job<T, R>; error?: Error; at: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.bull.off(event, listener as never);
      reject(new Error(`no ${event} event for ${jobId} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (job: Job<T, R> | undefined, second: unknown) => {
      if (job?.id !== jobId) return;
      if (event === 'failed' && final && job.finishedOn === undefined) return;
      clearTimeout(timer);
      worker.bull.off(event, listener as never);
      resolve({ job, ...(event === 'failed' && { error: second as Error }), at: Date.now() });
    };
    worker.bull.on(event, listener as never);
  });
}

/** A promise with its resolve function: a gate a processor waits on, or a signal it gives. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
