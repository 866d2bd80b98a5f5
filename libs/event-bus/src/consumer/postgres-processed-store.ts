import type { DataSource, EntityManager } from 'typeorm';
import type { DeliveredEvent } from '../bus-event.js';
import type { ProcessedStore, RunOnceRequest, RunOnceResult } from './processed-store.js';

export const PROCESSED_EVENTS_SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS processed_events (
     consumer     text        NOT NULL,
     event_key    text        NOT NULL,
     processed_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (consumer, event_key)
   )`,
];

const SCHEMA_LOCK_KEY = 'faultline.event-bus.processed-schema';

/** Creates `processed_events` if missing; concurrent callers are serialized by an advisory lock. */
export async function ensureProcessedEventsSchema(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
    for (const statement of PROCESSED_EVENTS_SCHEMA_STATEMENTS) await manager.query(statement);
  });
}

/** Runs `work` in one transaction of the database that holds `processed_events` (and the handler's tables). */
export type ProcessedTransaction = <T>(work: (manager: EntityManager) => Promise<T>, event: DeliveredEvent) => Promise<T>;

export interface PostgresProcessedStoreOptions {
  /**
   * Where the transaction runs. A DataSource, or a function — e.g. on a shard's primary through the
   * router: `(work, event) => router.write(shardOf(event), ({ dataSource }) => dataSource.transaction(work)).then((r) => r.value)`
   * (the router may run it again after an ambiguous failure: the processed row makes that a duplicate).
   */
  readonly transaction: DataSource | ProcessedTransaction;
  /** How `has` reads (default: a query on `transaction` when it is a DataSource; required otherwise). */
  readonly read?: (consumer: string, key: string) => Promise<boolean>;
}

const isDataSource = (value: unknown): value is DataSource =>
  typeof value === 'object' && value !== null && typeof (value as DataSource).transaction === 'function' && 'manager' in value;

/**
 * Idempotency in Postgres, exactly once in effect: the `processed_events` row is inserted in the same
 * transaction as the handler's own writes (the handler gets that transaction's EntityManager), so either
 * both commit or neither does. A second delivery racing the first waits on the row's insert and then
 * finds it (duplicate), or takes over if the first rolled back. Rows are kept (no cleanup yet).
 */
export class PostgresProcessedStore implements ProcessedStore<EntityManager> {
  private readonly transaction: ProcessedTransaction;

  constructor(private readonly options: PostgresProcessedStoreOptions) {
    const target = options.transaction;
    this.transaction = isDataSource(target) ? (work) => target.transaction(work) : target;
  }

  async runOnce(request: RunOnceRequest, work: (manager: EntityManager) => Promise<void>): Promise<RunOnceResult> {
    return this.transaction(async (manager) => {
      const rows = (await manager.query(
        `WITH claimed AS (
           INSERT INTO processed_events (consumer, event_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1
         ) SELECT count(*)::int AS n FROM claimed`,
        [request.consumer, request.key],
      )) as { n: number }[];
      if (rows[0]?.n !== 1) return 'duplicate';
      await work(manager);
      return 'processed';
    }, request.event);
  }

  async has(consumer: string, key: string): Promise<boolean> {
    if (this.options.read) return this.options.read(consumer, key);
    const target = this.options.transaction;
    const query = async (manager: EntityManager): Promise<boolean> => {
      const rows = (await manager.query('SELECT 1 FROM processed_events WHERE consumer = $1 AND event_key = $2', [consumer, key])) as unknown[];
      return rows.length > 0;
    };
    if (isDataSource(target)) return query(target.manager);
    throw new Error('PostgresProcessedStore.has needs a DataSource or a `read` function');
  }
}
