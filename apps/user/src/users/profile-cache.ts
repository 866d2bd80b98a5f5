import type { UserProfile } from '#libs/contracts';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { CacheMetrics } from './cache.metrics.js';

export interface ProfileCacheOptions {
  /**
   * The connection. Give it `enableOfflineQueue: false` and a small `maxRetriesPerRequest` (as
   * libs/health's createRedisConnection does), so that while Redis is down commands fail at once instead
   * of queueing; the cache bounds every command with its own timeout in any case.
   */
  readonly redis: Redis;
  /** Where `faultline_cache_requests_total{cache="profile"}` is registered. */
  readonly registry: Registry;
  /** Prefix of every key (default `faultline:user:`); tests use a fresh one each. */
  readonly keyPrefix?: string;
  /** Lifetime of a cached profile (default 5 min): the bound on staleness when an invalidation is lost. */
  readonly ttlMs?: number;
  /** Lifetime of a user's version floor after a write (default 10 min); see `invalidate`. */
  readonly floorTtlMs?: number;
  /** Longest wait for Redis per command before the caller falls back to the database (default 75 ms). */
  readonly commandTimeoutMs?: number;
  /** After a failure or timeout, lookups skip Redis this long (default 1 s), so a hung Redis costs one timeout, not one per read. */
  readonly bypassAfterFailureMs?: number;
  /** Told about every Redis failure (for the log); the cache itself never throws. */
  readonly onError?: (error: unknown, operation: 'get' | 'fill' | 'invalidate') => void;
}

/** A command Redis did not answer within the timeout. */
class CacheTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`redis did not answer within ${timeoutMs} ms`);
    this.name = 'CacheTimeoutError';
  }
}

/**
 * Fill: KEYS = entry, floor; ARGV = version, profile JSON, TTL in ms. Refuses a version below the floor
 * (a reader that read a lagging replica before the last write) or not above the entry already cached.
 * Entries are `<version>|<json>` so the script compares versions without decoding JSON.
 */
const FILL_SCRIPT = `
local version = tonumber(ARGV[1])
local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
if version < floor then return 0 end
local current = redis.call('GET', KEYS[1])
if current then
  local cached = tonumber(string.match(current, '^(%d+)|'))
  if cached and cached >= version then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1`;

/**
 * Invalidate: KEYS = entry, floor; ARGV = committed version, floor TTL in ms. Raises the floor to the
 * version (never lowers it) and drops the entry unless it already holds that version or a later one.
 */
const INVALIDATE_SCRIPT = `
local version = tonumber(ARGV[1])
local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
if version > floor then floor = version end
redis.call('SET', KEYS[2], tostring(floor), 'PX', ARGV[2])
local current = redis.call('GET', KEYS[1])
if current then
  local cached = tonumber(string.match(current, '^(%d+)|'))
  if (not cached) or cached < version then redis.call('DEL', KEYS[1]) end
end
return 1`;

const FILL_COMMAND = 'faultlineProfileFill';
const INVALIDATE_COMMAND = 'faultlineProfileInvalidate';

type ScriptCommand = (entryKey: string, floorKey: string, ...args: (string | number)[]) => Promise<number>;

/**
 * Read-through cache of user profiles in Redis. `get` → on a miss the caller reads the database and
 * `fill`s; every committed write calls `invalidate` with the version it committed.
 *
 * The stale-fill race — a reader reads version 3 from a lagging replica, the writer commits 4 and
 * invalidates, then the reader fills 3, which would stay until its TTL — is closed by a per-user
 * floor: `invalidate` records "nothing below 4 may be cached", and `fill` runs as a script that refuses
 * versions below the floor (and anything not newer than what is cached), atomically.
 *
 * Redis down or slow: every command is bounded by `commandTimeoutMs`, failures are counted as `error`
 * and answered as "not cached" (reads go to the database), and for `bypassAfterFailureMs` lookups do not
 * try Redis at all. Nothing here throws. A lost invalidation leaves an entry stale for at most `ttlMs`.
 */
export class ProfileCache {
  private readonly redis: Redis;
  private readonly metrics: CacheMetrics;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly floorTtlMs: number;
  private readonly timeoutMs: number;
  private readonly bypassMs: number;
  private readonly onError: NonNullable<ProfileCacheOptions['onError']>;
  private bypassUntil = 0;

  constructor(options: ProfileCacheOptions) {
    this.redis = options.redis;
    this.metrics = new CacheMetrics(options.registry, 'profile');
    this.prefix = options.keyPrefix ?? 'faultline:user:';
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.floorTtlMs = Math.max(options.floorTtlMs ?? 10 * 60_000, this.ttlMs);
    this.timeoutMs = options.commandTimeoutMs ?? 75;
    this.bypassMs = options.bypassAfterFailureMs ?? 1_000;
    this.onError = options.onError ?? (() => undefined);
    // defineCommand sends EVALSHA and falls back to EVAL once per connection: scripts are not resent per call.
    if (!(FILL_COMMAND in this.redis)) this.redis.defineCommand(FILL_COMMAND, { numberOfKeys: 2, lua: FILL_SCRIPT });
    if (!(INVALIDATE_COMMAND in this.redis)) this.redis.defineCommand(INVALIDATE_COMMAND, { numberOfKeys: 2, lua: INVALIDATE_SCRIPT });
  }

  /** The cached profile, or undefined on a miss or when Redis is unusable (counted as `error`). */
  async get(userId: string): Promise<UserProfile | undefined> {
    if (this.bypassing()) {
      this.metrics.record('error');
      return undefined;
    }
    let raw: string | null;
    try {
      raw = await this.bounded(() => this.redis.get(this.entryKey(userId)));
    } catch (error) {
      this.failed(error, 'get');
      this.metrics.record('error');
      return undefined;
    }
    const profile = raw === null ? undefined : parseEntry(raw);
    this.metrics.record(profile ? 'hit' : 'miss');
    return profile;
  }

  /** Caches `profile` unless a newer version was committed or cached meanwhile. True when it was stored. */
  async fill(profile: UserProfile): Promise<boolean> {
    if (this.bypassing()) return false;
    try {
      const stored = await this.bounded(() =>
        this.script(FILL_COMMAND)(this.entryKey(profile.id), this.floorKey(profile.id), profile.version, JSON.stringify(profile), this.ttlMs),
      );
      return stored === 1;
    } catch (error) {
      this.failed(error, 'fill');
      return false;
    }
  }

  /**
   * After a write committed `version`: drops older entries and keeps older versions from being filled.
   * Always tried, even while lookups bypass Redis: this is the side correctness depends on.
   */
  async invalidate(userId: string, version: number): Promise<boolean> {
    try {
      await this.bounded(() => this.script(INVALIDATE_COMMAND)(this.entryKey(userId), this.floorKey(userId), version, this.floorTtlMs));
      return true;
    } catch (error) {
      this.failed(error, 'invalidate');
      return false;
    }
  }

  // Hash tags ({…}) keep both keys of a user in one slot, so the scripts also run on a Redis Cluster.
  private entryKey(userId: string): string {
    return `${this.prefix}profile:{${userId}}`;
  }

  private floorKey(userId: string): string {
    return `${this.prefix}profile-floor:{${userId}}`;
  }

  private script(name: string): ScriptCommand {
    const command = (this.redis as unknown as Record<string, ScriptCommand>)[name]!;
    return command.bind(this.redis);
  }

  /**
   * The operation, or CacheTimeoutError after `timeoutMs`. An expired timer gives I/O one more turn of
   * the event loop (setImmediate runs after the poll phase) before it counts: on a starved CPU the
   * process may wake up long after Redis answered, and timers run before sockets are read, so without it
   * the timeout wins against an answer already waiting — and a spurious timeout sends every read to the
   * database for `bypassAfterFailureMs`, the costliest moment to do so.
   */
  private async bounded<T>(operation: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let grace: NodeJS.Immediate | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        grace = setImmediate(() => reject(new CacheTimeoutError(this.timeoutMs)));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([operation(), timeout]);
    } finally {
      clearTimeout(timer);
      clearImmediate(grace);
    }
  }

  private bypassing(): boolean {
    return performance.now() < this.bypassUntil;
  }

  private failed(error: unknown, operation: 'get' | 'fill' | 'invalidate'): void {
    this.bypassUntil = performance.now() + this.bypassMs;
    this.onError(error, operation);
  }
}

/** `<version>|<json>` → the profile; anything else (an older format, garbage) is a miss. */
function parseEntry(raw: string): UserProfile | undefined {
  const bar = raw.indexOf('|');
  if (bar < 0) return undefined;
  try {
    const profile = JSON.parse(raw.slice(bar + 1)) as UserProfile;
    return typeof profile === 'object' && profile !== null && typeof profile.id === 'string' ? profile : undefined;
  } catch {
    return undefined;
  }
}
