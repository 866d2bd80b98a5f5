import { afterAll, beforeAll } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createEventStoreDataSource, ensureEventStoreSchema, PostgresEventStore, type Event, type PostgresEventStoreOptions } from '#libs/event-store';
import { startPostgresServer, withFreshDatabase, type FreshDatabase, type PostgresServer } from '../../../support/postgres-server.js';

/**
 * A throwaway Postgres server and a fresh database for one test file. FAULTLINE_TEST_POSTGRES_URL (e.g. a
 * pre-started server) skips the server start — a fast path only: without it the tests start their own.
 */
export interface TestDatabase {
  readonly url: string;
  /** A DataSource with the event store entities (closed after the file); `params` are added to the URL. */
  dataSource(applicationName: string, poolSize?: number, params?: Record<string, string>): Promise<DataSource>;
  /** A store on a new DataSource (both closed after the file). */
  store<E extends Event>(applicationName: string, options?: PostgresEventStoreOptions & { poolSize?: number }): Promise<PostgresEventStore<E>>;
}

export const SETUP_TIMEOUT_MS = 60_000;

export function useTestDatabase(prefix: string, options: { schema?: boolean } = {}): TestDatabase {
  let server: PostgresServer | undefined;
  let database: FreshDatabase | undefined;
  const dataSources: DataSource[] = [];
  const stores: PostgresEventStore<Event>[] = [];

  beforeAll(async () => {
    const external = process.env.FAULTLINE_TEST_POSTGRES_URL;
    if (!external) server = await startPostgresServer();
    database = await withFreshDatabase({ url: external ?? server!.url }, prefix);
    if (options.schema !== false) {
      const dataSource = await open('schema', 1);
      await ensureEventStoreSchema(dataSource);
    }
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.allSettled(stores.map((store) => store.close()));
    await Promise.allSettled(dataSources.map((dataSource) => dataSource.destroy()));
    await database?.drop();
    await server?.stop();
  }, SETUP_TIMEOUT_MS);

  async function open(applicationName: string, poolSize = 4, params: Record<string, string> = {}): Promise<DataSource> {
    if (!database) throw new Error('the test database is not ready: use it inside tests or beforeAll');
    const url = new URL(database.url);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const dataSource = await createEventStoreDataSource({ url: url.toString(), applicationName, poolSize });
    dataSources.push(dataSource);
    return dataSource;
  }

  return {
    get url() {
      if (!database) throw new Error('the test database is not ready');
      return database.url;
    },
    dataSource: open,
    async store<E extends Event>(applicationName: string, storeOptions: PostgresEventStoreOptions & { poolSize?: number } = {}) {
      const { poolSize, ...rest } = storeOptions;
      const store = new PostgresEventStore<E>(await open(applicationName, poolSize), rest);
      stores.push(store as unknown as PostgresEventStore<Event>);
      return store;
    },
  };
}
