import { DataSource, type MixedList } from 'typeorm';
import { EVENT_STORE_ENTITIES } from './entities/event-store.entities.js';

export interface EventStoreDataSourceOptions {
  /** postgres://user@host:port/database */
  readonly url: string;
  /** Pool size (default 10). */
  readonly poolSize?: number;
  readonly applicationName?: string;
  /** The service's own entities, next to the event store's. */
  readonly entities?: MixedList<Function | string>;
  readonly connectTimeoutMs?: number;
}

/**
 * An initialized DataSource for one shard's database with the event store's entities. The schema is not
 * touched (no synchronize): run ensureEventStoreSchema or the migration.
 */
export async function createEventStoreDataSource(options: EventStoreDataSourceOptions): Promise<DataSource> {
  const extra = options.entities ? (Array.isArray(options.entities) ? options.entities : Object.values(options.entities)) : [];
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: [...EVENT_STORE_ENTITIES, ...extra],
    synchronize: false,
    migrationsRun: false,
    // The entities need no extension (event ids are made in Node): never try CREATE EXTENSION.
    installExtensions: false,
    poolSize: options.poolSize ?? 10,
    connectTimeoutMS: options.connectTimeoutMs ?? 10_000,
    ...(options.applicationName !== undefined && { applicationName: options.applicationName }),
  });
  return dataSource.initialize();
}
