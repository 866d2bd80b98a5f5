import { START_POSITION, parsePosition } from '#libs/event-store';
import type { DataSource } from 'typeorm';

/**
 * `relay_checkpoints` in each shard's database: per relay (the stream it publishes to) and shard, the
 * last position JetStream acknowledged. Written on the primary after the acks, never moved back.
 */
export const RELAY_SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS relay_checkpoints (
     relay      text        NOT NULL,
     shard      integer     NOT NULL,
     position   bigint      NOT NULL CHECK (position >= 0),
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (relay, shard)
   )`,
];

const SCHEMA_LOCK_KEY = 'faultline.event-bus.relay-schema';

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Creates `relay_checkpoints` if missing; concurrent callers are serialized by an advisory lock. */
export async function ensureRelaySchema(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
    for (const statement of RELAY_SCHEMA_STATEMENTS) await manager.query(statement);
  });
}

/** The relay's checkpoint, START_POSITION when it has none. */
export async function readRelayCheckpoint(db: Queryable, relay: string, shard: number): Promise<bigint> {
  const rows = (await db.query('SELECT position::text AS position FROM relay_checkpoints WHERE relay = $1 AND shard = $2', [relay, shard])) as {
    position: string;
  }[];
  return rows[0] ? parsePosition(rows[0].position) : START_POSITION;
}

/** Moves the checkpoint forward to `position` (never back: a slower relay that lost the lock cannot undo progress). */
export async function writeRelayCheckpoint(db: Queryable, relay: string, shard: number, position: bigint): Promise<void> {
  await db.query(
    `INSERT INTO relay_checkpoints (relay, shard, position) VALUES ($1, $2, $3::bigint)
     ON CONFLICT (relay, shard) DO UPDATE SET position = GREATEST(relay_checkpoints.position, EXCLUDED.position), updated_at = now()`,
    [relay, shard, position.toString()],
  );
}

/**
 * Events committed after `after`, counted up to `cap` (an index range scan on the primary key). Includes
 * events above the readers' xmin horizon: they are committed, just not readable in order yet.
 */
export async function countEventsAfter(db: Queryable, after: bigint, cap: number): Promise<number> {
  const rows = (await db.query('SELECT count(*)::int AS n FROM (SELECT 1 FROM events WHERE position > $1::bigint LIMIT $2) AS pending', [
    after.toString(),
    cap,
  ])) as { n: number }[];
  return rows[0]?.n ?? 0;
}
