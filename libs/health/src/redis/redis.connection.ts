import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { describeError } from '../describe-error.js';

export interface RedisConnectionOptions {
  readonly url: string;
  /** Shown by `CLIENT LIST`: which instance holds which connection. */
  readonly connectionName: string;
}

/**
 * The instance's Redis connection. It connects in the background and never throws: while Redis
 * is away commands fail at once (no offline queue, so callers degrade instead of piling up
 * work), a silent Redis fails them within a second, and it keeps reconnecting every second at
 * most until Redis is back.
 */
export function createRedisConnection(options: RedisConnectionOptions, logger: Logger): Redis {
  const redis = new Redis(options.url, {
    connectionName: options.connectionName,
    connectTimeout: 1_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A Redis that stops answering without closing the socket (paused, blackholed: the gray failures the
    // lab injects) fails each command after a second instead of hanging the request that waits on it.
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    // How long disconnect() waits for a socket to close before destroying it. ioredis arms this
    // timer even for a socket that is already gone, which kept the process alive 2 s (default).
    disconnectTimeout: 500,
  });
  // Without an 'error' listener ioredis would crash the process on the first refused connection.
  // Each distinct failure is logged once, not once per reconnection attempt.
  let lastError: string | undefined;
  redis.on('error', (error: unknown) => {
    const { message } = describeError(error);
    if (message === lastError) return;
    lastError = message;
    logger.warn({ err: error }, 'redis connection failed; reconnecting');
  });
  redis.on('ready', () => {
    if (lastError !== undefined) logger.info('redis connection restored');
    lastError = undefined;
  });
  return redis;
}

/** QUIT when connected (bounded, Redis may hang mid-chaos), then drop the socket and stop reconnecting. */
export async function closeRedisConnection(redis: Redis, timeoutMs = 500): Promise<void> {
  if (redis.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([redis.quit().catch(() => undefined), deadline]);
    clearTimeout(timer);
  }
  redis.disconnect(false);
}
