import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { MediaService, type MediaServiceOptions } from '../../../../apps/media/src/media/media.service.js';
import { useShardedTestEnv } from '../../../support/sharded-test-env.js';
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

/**
 * A throwaway Postgres server with one database per shard for one test file; each test asks for a fresh
 * `world()` (a schema of its own in every shard database). The router is the user tests'
 * TestShardRouter: real SQL on real Postgres, primary and replica being the same database.
 * FAULTLINE_TEST_POSTGRES_URL points at an existing server instead of starting one.
 */
export function useMediaTestEnv(prefix: string): MediaTestEnv {
  const env = useShardedTestEnv(prefix, { shardCount: SHARD_COUNT, setupTimeoutMs: SETUP_TIMEOUT_MS, schemaPrefix: 'm' });

  async function world(): Promise<TestWorld> {
    const schema = await env.newSchema();
    let schemaReady: Promise<void> | undefined;

    async function instance(name: string, options: Omit<MediaServiceOptions, 'router'> = {}): Promise<TestInstance> {
      const shards = await env.openShards(schema, `${schema}-${name}`);
      const router = new TestShardRouter(shards, name);
      const service = new MediaService({ ...options, router });
      env.onCleanup(() => service.close());
      await (schemaReady ??= service.ensureSchema());
      return { service, router, shards };
    }

    return { schema, instance };
  }

  return { world, onCleanup: env.onCleanup };
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
