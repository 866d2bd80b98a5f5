import type { Redis } from 'ioredis';

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Count: KEYS = the window's counter; ARGV = its lifetime in seconds. One command per request, atomic
 * (the counter never lives on without its expiry), where MULTI/INCR/EXPIRE/EXEC took four.
 */
const COUNT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

const COUNT_COMMAND = 'faultlineRateCount';

type CountCommand = (key: string, ttlSeconds: number) => Promise<number>;

/**
 * A fixed one-second window per client, counted in Redis so the limit holds across every gateway
 * instance (a client moved to another instance keeps its count). When Redis cannot count, requests
 * are let through: the limiter protects the system, it must not become a way for it to fail.
 */
export class RateLimiter {
  private readonly count: CountCommand;

  constructor(
    private readonly redis: Redis,
    private readonly limitPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    // defineCommand sends EVALSHA (EVAL once per connection when Redis lacks the script).
    if (!(COUNT_COMMAND in redis)) redis.defineCommand(COUNT_COMMAND, { numberOfKeys: 1, lua: COUNT_SCRIPT });
    this.count = (redis as unknown as Record<string, CountCommand>)[COUNT_COMMAND]!.bind(redis);
  }

  async check(clientKey: string): Promise<RateDecision> {
    const second = Math.floor(this.now() / 1000);
    let count: number;
    try {
      // Expires after 2 s: a window's counter outlives its own second.
      count = Number(await this.count(`faultline:ratelimit:${clientKey}:${second}`, 2));
    } catch {
      return { allowed: true };
    }
    return count <= this.limitPerSecond ? { allowed: true } : { allowed: false, retryAfterSeconds: 1 };
  }
}
