import { afterAll, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../../../../apps/user/src/users/password-hasher.js';
import { ProfileCache, type ProfileCacheOptions } from '../../../../apps/user/src/users/profile-cache.js';
import { UserService, type UserServiceOptions } from '../../../../apps/user/src/users/user.service.js';
import { startRedisServer, type RedisServer } from '../../../support/redis-server.js';
import { useShardedTestEnv } from '../../../support/sharded-test-env.js';
import { TestShardRouter } from './test-shard-router.js';

export const SETUP_TIMEOUT_MS = 90_000;
export const SHARD_COUNT = 2;

/** A cheap scrypt cost: these tests are about the flows, the hasher's own tests about hashing. */
export const testHasher = (): PasswordHasher => new PasswordHasher({ N: 2 ** 12, r: 8, p: 1 });

/** One instance of the user service as a gateway would reach it: its own pools, router, Redis connection, cache. */
export interface TestInstance {
  readonly service: UserService;
  readonly router: TestShardRouter;
  readonly cache: ProfileCache | undefined;
  readonly registry: Registry;
  readonly redis: Redis | undefined;
  /** This instance's DataSource per shard (for assertions in SQL). */
  readonly shards: readonly DataSource[];
}

export interface InstanceOptions extends Omit<UserServiceOptions, 'router' | 'cache'> {
  /** A cache on this Redis (default: the file's throwaway server); `false` for none. */
  readonly redis?: RedisServer | false;
  readonly cache?: Omit<ProfileCacheOptions, 'redis' | 'registry' | 'keyPrefix'>;
}

/** Fresh schemas (one per shard database) and a fresh Redis key prefix: what one test sees. */
export interface TestWorld {
  readonly schema: string;
  readonly keyPrefix: string;
  instance(name: string, options?: InstanceOptions): Promise<TestInstance>;
}

export interface UserTestEnv {
  /** The file's throwaway Redis. */
  readonly redis: RedisServer;
  world(): Promise<TestWorld>;
  /** Runs after the current test (in reverse order of registration). */
  onCleanup(step: () => Promise<void>): void;
}

/**
 * A throwaway Postgres server with one database per shard, and a throwaway redis-server, for one test
 * file; each test asks for a fresh `world()`. FAULTLINE_TEST_POSTGRES_URL points at an existing server
 * instead of starting one (databases are still created and dropped).
 */
export function useUserTestEnv(prefix: string): UserTestEnv {
  const env = useShardedTestEnv(prefix, { shardCount: SHARD_COUNT, setupTimeoutMs: SETUP_TIMEOUT_MS, schemaPrefix: 'w' });
  let redis: RedisServer | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await redis?.stop();
  }, SETUP_TIMEOUT_MS);

  async function world(): Promise<TestWorld> {
    const schema = await env.newSchema();
    const keyPrefix = `test:${schema}:`;
    let schemaReady: Promise<void> | undefined;

    async function instance(name: string, options: InstanceOptions = {}): Promise<TestInstance> {
      const { redis: redisOption, cache: cacheOptions, ...serviceOptions } = options;
      const shards = await env.openShards(schema, `${schema}-${name}`);
      const router = new TestShardRouter(shards, name);
      const registry = new Registry();
      const redisServer = redisOption === false ? undefined : (redisOption ?? redis!);
      let connection: Redis | undefined;
      if (redisServer) {
        // As the app's own connection (libs/health): fail at once while Redis is away, never queue.
        connection = new Redis(redisServer.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1_000, retryStrategy: () => 100, lazyConnect: true, disconnectTimeout: 200 });
        connection.on('error', () => undefined);
        await connection.connect();
        const opened = connection;
        env.onCleanup(async () => opened.disconnect());
      }
      const cache = connection ? new ProfileCache({ redis: connection, registry, keyPrefix, ...cacheOptions }) : undefined;
      const service = new UserService({ hasher: testHasher(), ...serviceOptions, router, ...(cache && { cache }) });
      env.onCleanup(() => service.close());
      // The schema is made once per world, by whichever instance comes first.
      await (schemaReady ??= service.ensureSchema());
      return { service, router, cache, registry, redis: connection, shards };
    }

    return { schema, keyPrefix, instance };
  }

  return {
    get redis() {
      if (!redis) throw new Error('the test Redis is not ready: use it inside tests');
      return redis;
    },
    world,
    onCleanup: env.onCleanup,
  };
}

let requests = 0;
/** A request id no other test uses. */
export const newRequestId = (label = 'req'): string => `${label}-${process.pid}-${++requests}-${randomBytes(4).toString('hex')}`;
/** An address no other test uses. */
export const newEmail = (label = 'user'): string => `${label}-${randomBytes(5).toString('hex')}@example.org`;
