import type { Redis } from 'ioredis';
import { describeError } from '../describe-error.js';
import type { HealthCheck } from '../health-check.js';
import { DependencyUnavailableError } from '../health.errors.js';

/** ioredis states in which a connection attempt is under way (not waiting to retry, not given up). */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * `redis`: a PING on the instance's own connection. While disconnected the check fails at once
 * with the last connection error; only an attempt already under way (right after startup, or a
 * reconnect) is waited for, within the check's budget.
 */
export function redisHealthCheck(redis: Redis): HealthCheck {
  let lastError: unknown;
  redis.on('error', (error: unknown) => (lastError = error));
  redis.on('ready', () => (lastError = undefined));

  return {
    name: 'redis',
    async run({ signal }) {
      if (CONNECTING.has(redis.status)) await settled(redis, signal);
      if (redis.status !== 'ready') {
        const reason = lastError === undefined ? '' : `: ${describeError(lastError).message}`;
        throw new DependencyUnavailableError(`Redis connection ${redis.status}${reason}`);
      }
      await redis.ping();
    },
  };
}

/** Resolves when the connection attempt under way has succeeded or failed, or the check is aborted. */
function settled(redis: Redis, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['ready', 'error', 'close'] as const) redis.off(event, done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    for (const event of ['ready', 'error', 'close'] as const) redis.once(event, done);
    signal.addEventListener('abort', done, { once: true });
  });
}
