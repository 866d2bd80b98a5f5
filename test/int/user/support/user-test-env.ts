import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createEventStoreDataSource } from '#libs/event-store';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../../../../apps/user/src/users/password-hasher.js';
import { ProfileCache, type ProfileCacheOptions } from '../../../../apps/user/src/users/profile-cache.js';
import { UserService, type UserServiceOptions } from '../../../../apps/user/src/users/user.service.js';
import { startPostgresServer, withFreshDatabase, type FreshDatabase, type PostgresServer } from '../../../support/postgres-server.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
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

let worlds = 0;

/**
 * A throwaway Postgres server with one database per shard, and a throwaway redis-server, for one test
 * file; each test asks for a fresh `world()`. FAULTLINE_TEST_POSTGRES_URL points at an existing server
 * instead of starting one (databases are still created and dropped).
 */
export function useUserTestEnv(prefix: string): UserTestEnv {
  let server: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  const databases: FreshDatabase[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const external = process.env.FAULTLINE_TEST_POSTGRES_URL;
    [server, redis] = await Promise.all([external ? Promise.resolve(undefined) : startPostgresServer(), startRedisServer()]);
    for (let shard = 0; shard < SHARD_COUNT; shard++) databases.push(await withFreshDatabase({ url: external ?? server!.url }, `${prefix}_s${shard}`));
  }, SETUP_TIMEOUT_MS);

  afterEach(async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.allSettled(databases.map((database) => database.drop()));
    await Promise.allSettled([server?.stop(), redis?.stop()]);
  }, SETUP_TIMEOUT_MS);

  const onCleanup = (step: () => Promise<void>): void => void cleanups.push(step);

  async function openShard(database: FreshDatabase, schema: string, applicationName: string): Promise<DataSource> {
    const url = new URL(database.url);
    // Every connection of the pool works in the test's own schema.
    url.searchParams.set('options', `-c search_path=${schema}`);
    const dataSource = await createEventStoreDataSource({ url: url.toString(), applicationName, poolSize: 6 });
    onCleanup(() => dataSource.destroy());
    return dataSource;
  }

  async function world(): Promise<TestWorld> {
    const schema = `w_${process.pid}_${++worlds}_${randomBytes(3).toString('hex')}`;
    const keyPrefix = `test:${schema}:`;
    for (const database of databases) {
      const admin = await openShard(database, 'public', `${schema}-admin`);
      await admin.query(`CREATE SCHEMA ${schema}`);
    }
    let schemaReady: Promise<void> | undefined;

    async function instance(name: string, options: InstanceOptions = {}): Promise<TestInstance> {
      const { redis: redisOption, cache: cacheOptions, ...serviceOptions } = options;
      const shards = await Promise.all(databases.map((database) => openShard(database, schema, `${schema}-${name}`)));
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
        onCleanup(async () => opened.disconnect());
      }
      const cache = connection ? new ProfileCache({ redis: connection, registry, keyPrefix, ...cacheOptions }) : undefined;
      const service = new UserService({ hasher: testHasher(), ...serviceOptions, router, ...(cache && { cache }) });
      onCleanup(() => service.close());
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
    onCleanup,
  };
}

let requests = 0;
/** A request id no other test uses. */
export const newRequestId = (label = 'req'): string => `${label}-${process.pid}-${++requests}-${randomBytes(4).toString('hex')}`;
/** An address no other test uses. */
export const newEmail = (label = 'user'): string => `${label}-${randomBytes(5).toString('hex')}@example.org`;
