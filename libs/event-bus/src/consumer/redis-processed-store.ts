import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ProcessedStore, RunOnceRequest, RunOnceResult } from './processed-store.js';

export interface RedisProcessedStoreOptions {
  /** Keys are `<keyPrefix>:<consumer>:<key>` (default `faultline:processed`). */
  readonly keyPrefix?: string;
  /**
   * How long a "processed" mark lives (default 7 days). Must outlast every way the same event can come
   * again: JetStream redeliveries (ack wait × max deliver), a consumer replaying from its ack floor after
   * a restart, and a relay republishing beyond the stream's duplicate window. The stream's max age
   * (24 h by default) bounds all of them.
   */
  readonly ttlMs?: number;
  /**
   * While a delivery runs, the key holds a lease for this long (default 60 s); a second delivery of the
   * same event meanwhile gets `busy` (and is retried later) instead of running the handler in parallel.
   * A consumer that dies mid-handler blocks the event for at most this long. Keep it above the ack wait.
   */
  readonly leaseMs?: number;
}

const DONE = 'done';
const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Idempotency marks in Redis: `SET key lease NX PX` claims the event, the handler runs, `SET key done PX
 * ttl` records it. Not transactional with the handler's own effects: a process that dies after the
 * handler and before the mark runs the handler again on redelivery, so the handler's effects should
 * themselves be idempotent (an upsert, a job id…) — or use PostgresProcessedStore and write in its
 * transaction. Redis must keep its data (AOF) for the marks to survive a Redis restart.
 */
export class RedisProcessedStore implements ProcessedStore<void> {
  private readonly keyPrefix: string;
  private readonly ttlMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly redis: Redis,
    options: RedisProcessedStoreOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? 'faultline:processed';
    this.ttlMs = options.ttlMs ?? 7 * 24 * 3_600_000;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  keyOf(consumer: string, key: string): string {
    return `${this.keyPrefix}:${consumer}:${key}`;
  }

  async runOnce(request: RunOnceRequest, work: (context: void) => Promise<void>): Promise<RunOnceResult> {
    const key = this.keyOf(request.consumer, request.key);
    const lease = `lease:${randomUUID()}`;
    const claimed = await this.redis.set(key, lease, 'PX', this.leaseMs, 'NX');
    if (claimed !== 'OK') {
      const value = await this.redis.get(key);
      return value === DONE ? 'duplicate' : 'busy';
    }
    try {
      await work();
    } catch (error) {
      await this.redis.eval(RELEASE_IF_OURS, 1, key, lease).catch(() => undefined);
      throw error;
    }
    await this.redis.set(key, DONE, 'PX', this.ttlMs);
    return 'processed';
  }

  async has(consumer: string, key: string): Promise<boolean> {
    return (await this.redis.get(this.keyOf(consumer, key))) === DONE;
  }
}
