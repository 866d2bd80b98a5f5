import { Redis } from 'ioredis';

/**
 * The ioredis connections BullMQ runs on. BullMQ is handed ready-made clients (not options), so the lab
 * decides how they connect, reconnect and are named. Each Queue and each Worker gets connections of its
 * own; none is shared with the instance's cache/health connection, whose fail-fast settings suit a
 * cache, not a queue.
 */

export interface JobConnectionOptions {
  readonly redisUrl: string;
  /** `CLIENT LIST` shows it: which instance and queue holds which connection. */
  readonly connectionName?: string;
}

/** Reconnect quickly (chaos restarts Redis; the lab wants jobs flowing again within a second). */
const retryStrategy = (attempt: number): number => Math.min(100 * attempt, 1_000);

/**
 * A producer's connection (one per Queue). Commands issued while Redis is away wait in ioredis' offline
 * queue for up to 3 reconnection attempts, then fail: an enqueue is bounded anyway by the queue's own
 * deadline, and a job add is idempotent (its id is fixed), so a command sent twice after a reconnect adds
 * one job.
 */
export function createQueueConnection(options: JobConnectionOptions): Redis {
  return new Redis(options.redisUrl, {
    ...(options.connectionName !== undefined && { connectionName: options.connectionName }),
    connectTimeout: 1_000,
    maxRetriesPerRequest: 3,
    retryStrategy,
    disconnectTimeout: 500,
  });
}

/**
 * The template of a Worker's connections: BullMQ duplicates it into the worker's command connection and
 * its blocking (BZPOPMIN) connection, and owns the duplicates; the template itself never connects
 * (`lazyConnect`). `maxRetriesPerRequest: null`, as BullMQ requires of a blocking client: a worker waits
 * out a Redis outage instead of failing its commands (its job locks simply expire meanwhile, and the
 * stalled-job check hands the jobs out again).
 */
export function createWorkerConnectionTemplate(options: JobConnectionOptions): Redis {
  return new Redis(options.redisUrl, {
    ...(options.connectionName !== undefined && { connectionName: options.connectionName }),
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: null,
    retryStrategy,
    disconnectTimeout: 500,
  });
}

/** QUIT when connected (bounded: Redis may hang mid-chaos), then drop the socket and stop reconnecting. */
export async function closeJobConnection(redis: Redis, timeoutMs = 500): Promise<void> {
  if (redis.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([redis.quit().catch(() => undefined), deadline]);
    clearTimeout(timer);
  }
  redis.disconnect(false);
}
