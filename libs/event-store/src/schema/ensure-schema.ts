import type { DataSource } from 'typeorm';
import { EVENT_STORE_SCHEMA_STATEMENTS, SCHEMA_LOCK_KEY } from './event-store.schema.js';

/**
 * Creates the event store's tables and append function if they are missing, and replaces the function with
 * this version's. Safe to call from every instance at start-up: callers are serialized by an advisory lock
 * (two concurrent CREATE TABLE IF NOT EXISTS can otherwise both try to create the table's type).
 */
export async function ensureEventStoreSchema(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
    for (const statement of EVENT_STORE_SCHEMA_STATEMENTS) await manager.query(statement);
  });
}
