import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createEventStoreDataSource } from '#libs/event-store';
import type { DataSource } from 'typeorm';
import { startPostgresServer, withFreshDatabase, type FreshDatabase, type PostgresServer } from './postgres-server.js';

export interface ShardedTestEnvOptions {
  readonly shardCount: number;
  /** For beforeAll/afterEach/afterAll. */
  readonly setupTimeoutMs: number;
  /** Starts each schema's name (e.g. `w` for the user tests, `m` for media), so a leftover shows whose it was. */
  readonly schemaPrefix: string;
}

export interface ShardedTestEnv {
  /** A schema of its own in every shard database: what one test works in. */
  newSchema(): Promise<string>;
  /** One pool per shard database, every connection working in `schema`; destroyed after the current test. */
  openShards(schema: string, applicationName: string): Promise<DataSource[]>;
  /** Runs after the current test (in reverse order of registration). */
  onCleanup(step: () => Promise<void>): void;
}

let schemas = 0;

/**
 * The part the sharded services' test envs (user, media) share: a throwaway Postgres server with one
 * database per shard for one test file, a fresh schema per test in each of them (so tests never see each
 * other's rows, without the cost of a database each), and per-test cleanup steps. Uses jest's hooks, so
 * call it at the top of a test file (through the service's own env). FAULTLINE_TEST_POSTGRES_URL points at
 * an existing server instead of starting one (databases are still created and dropped).
 */
export function useShardedTestEnv(prefix: string, options: ShardedTestEnvOptions): ShardedTestEnv {
  let server: PostgresServer | undefined;
  const databases: FreshDatabase[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const external = process.env.FAULTLINE_TEST_POSTGRES_URL;
    server = external ? undefined : await startPostgresServer();
    for (let shard = 0; shard < options.shardCount; shard++) databases.push(await withFreshDatabase({ url: external ?? server!.url }, `${prefix}_s${shard}`));
  }, options.setupTimeoutMs);

  afterEach(async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  }, options.setupTimeoutMs);

  afterAll(async () => {
    await Promise.allSettled(databases.map((database) => database.drop()));
    await server?.stop();
  }, options.setupTimeoutMs);

  const onCleanup = (step: () => Promise<void>): void => void cleanups.push(step);

  async function openShard(database: FreshDatabase, schema: string, applicationName: string): Promise<DataSource> {
    const url = new URL(database.url);
    // Every connection of the pool works in the test's own schema.
    url.searchParams.set('options', `-c search_path=${schema}`);
    const dataSource = await createEventStoreDataSource({ url: url.toString(), applicationName, poolSize: 6 });
    onCleanup(() => dataSource.destroy());
    return dataSource;
  }

  async function newSchema(): Promise<string> {
    const schema = `${options.schemaPrefix}_${process.pid}_${++schemas}_${randomBytes(3).toString('hex')}`;
    for (const database of databases) {
      const admin = await openShard(database, 'public', `${schema}-admin`);
      await admin.query(`CREATE SCHEMA ${schema}`);
    }
    return schema;
  }

  return {
    newSchema,
    openShards: (schema, applicationName) => Promise.all(databases.map((database) => openShard(database, schema, applicationName))),
    onCleanup,
  };
}
