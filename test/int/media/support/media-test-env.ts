import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createEventStoreDataSource } from '#libs/event-store';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { MediaService, type MediaServiceOptions } from '../../../../apps/media/src/media/media.service.js';
import { startPostgresServer, withFreshDatabase, type FreshDatabase, type PostgresServer } from '../../../support/postgres-server.js';
import { TestShardRouter } from '../../user/support/test-shard-router.js';

export const SETUP_TIMEOUT_MS = 90_000;
export const SHARD_COUNT = 2;

/** One instance of the media service: its own pools and router over the world's shard databases. */
export interface TestInstance {
  readonly service: MediaService;
  readonly router: TestShardRouter;
  /** This instance's DataSource per shard (for assertions in SQL). */
  readonly shards: readonly DataSource[];
}

/** Fresh schemas (one per shard database): what one test sees. */
export interface TestWorld {
  readonly schema: string;
  instance(name: string, options?: Omit<MediaServiceOptions, 'router'>): Promise<TestInstance>;
}

export interface MediaTestEnv {
  world(): Promise<TestWorld>;
  /** Runs after the current test (in reverse order of registration). */
  onCleanup(step: () => Promise<void>): void;
}

let worlds = 0;

/**
 * A throwaway Postgres server with one database per shard for one test file; each test asks for a fresh
 * `world()` (a schema of its own in every shard database). The router is the user tests'
 * TestShardRouter: real SQL on real Postgres, primary and replica being the same database.
 * FAULTLINE_TEST_POSTGRES_URL points at an existing server instead of starting one.
 */
export function useMediaTestEnv(prefix: string): MediaTestEnv {
  let server: PostgresServer | undefined;
  const databases: FreshDatabase[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const external = process.env.FAULTLINE_TEST_POSTGRES_URL;
    server = external ? undefined : await startPostgresServer();
    for (let shard = 0; shard < SHARD_COUNT; shard++) databases.push(await withFreshDatabase({ url: external ?? server!.url }, `${prefix}_s${shard}`));
  }, SETUP_TIMEOUT_MS);

  afterEach(async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.allSettled(databases.map((database) => database.drop()));
    await server?.stop();
  }, SETUP_TIMEOUT_MS);

  const onCleanup = (step: () => Promise<void>): void => void cleanups.push(step);

  async function openShard(database: FreshDatabase, schema: string, applicationName: string): Promise<DataSource> {
    const url = new URL(database.url);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const dataSource = await createEventStoreDataSource({ url: url.toString(), applicationName, poolSize: 6 });
    onCleanup(() => dataSource.destroy());
    return dataSource;
  }

  async function world(): Promise<TestWorld> {
    const schema = `m_${process.pid}_${++worlds}_${randomBytes(3).toString('hex')}`;
    for (const database of databases) {
      const admin = await openShard(database, 'public', `${schema}-admin`);
      await admin.query(`CREATE SCHEMA ${schema}`);
    }
    let schemaReady: Promise<void> | undefined;

    async function instance(name: string, options: Omit<MediaServiceOptions, 'router'> = {}): Promise<TestInstance> {
      const shards = await Promise.all(databases.map((database) => openShard(database, schema, `${schema}-${name}`)));
      const router = new TestShardRouter(shards, name);
      const service = new MediaService({ ...options, router });
      onCleanup(() => service.close());
      await (schemaReady ??= service.ensureSchema());
      return { service, router, shards };
    }

    return { schema, instance };
  }

  return { world, onCleanup };
}

let requests = 0;
/** A request id no other test uses. */
export const newRequestId = (label = 'req'): string => `${label}-${process.pid}-${++requests}-${randomBytes(4).toString('hex')}`;

let owners = 0;
/** A user id no other test uses (any UUID will do: the media service does not look users up). */
export const newOwnerId = (): string => {
  const hex = randomBytes(16).toString('hex');
  owners++;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
};

/** A real PNG of the given size, in a colour of its own (so two calls give different bytes). */
export async function pngOf(width: number, height: number, seed = owners + requests): Promise<Buffer> {
  const background = { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 193) % 256 };
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
}
