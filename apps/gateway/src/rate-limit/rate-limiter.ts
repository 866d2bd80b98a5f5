import type { Redis } from 'ioredis';

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * A fixed one-second window per client, counted in Redis so the limit holds across every gateway
 * instance (a client moved to another instance keeps its count). When Redis cannot count, requests
 * are let through: the limiter protects the system, it must not become a way for it to fail.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limitPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  async check(clientKey: string): Promise<RateDecision> {
    const second = Math.floor(this.now() / 1000);
    const key = `faultline:ratelimit:${clientKey}:${second}`;
    let count: number;
    try {
      const results = await this.redis.multi().incr(key).expire(key, 2).exec();
      const [error, value] = results?.[0] ?? [new Error('no result'), 0];
      if (error) return { allowed: true };
      count = Number(value);
    } catch {
      return { allowed: true };
    }
    return count <= this.limitPerSecond ? { allowed: true } : { allowed: false, retryAfterSeconds: 1 };
  }
}
