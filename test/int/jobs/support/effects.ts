import type { Redis } from 'ioredis';

/**
 * A test processor's effect, recorded the way a real processor must: idempotently. Every run counts
 * (`<key>:runs:<jobId>`), but only the first run's effect sticks (HSETNX, like INSERT … ON CONFLICT DO
 * NOTHING): how many times a job ran and how many effects it had are both visible.
 */
export async function recordEffect(redis: Redis, key: string, jobId: string, by: string): Promise<boolean> {
  const [, set] = (await redis.multi().incr(`${key}:runs:${jobId}`).hsetnx(`${key}:effects`, jobId, by).exec())!;
  return set![1] === 1;
}

export async function effectsOf(redis: Redis, key: string): Promise<Record<string, string>> {
  return redis.hgetall(`${key}:effects`);
}

export async function runsOf(redis: Redis, key: string, jobId: string): Promise<number> {
  return Number((await redis.get(`${key}:runs:${jobId}`)) ?? 0);
}
