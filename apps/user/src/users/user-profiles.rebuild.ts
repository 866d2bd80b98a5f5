import { PostgresEventStore, START_POSITION } from '#libs/event-store';
import type { DataSource } from 'typeorm';
import type { ShardEvent } from './shard-event-stores.js';
import type { SqlRunner } from './sql-runner.js';
import { applyUserEvents, USER_PROFILES_PROJECTION } from './user-profiles.projection.js';
import { PROJECTION_CHECKPOINTS_TABLE, USER_PROFILES_TABLE } from './user.schema.js';

export interface ProjectionRunOptions {
  /** Events read per batch; each batch is applied and checkpointed in one transaction (default 500). */
  readonly batchSize?: number;
  /** How long to wait for transactions older than the rebuild's truncate to end (default 30 s). */
  readonly settleTimeoutMs?: number;
}

export interface ProjectionRunResult {
  /** Events read from the log (of every stream). */
  readonly events: number;
  /** Row writes (a user whose events span batches is written once per batch). */
  readonly rows: number;
  /** The checkpoint at the end. */
  readonly position: bigint;
}

/**
 * Brings `user_profiles` up to the end of the shard's log from its checkpoint in `projection_checkpoints`.
 * Each batch and its checkpoint commit together, so an interrupted run resumes where it stopped; rows
 * are only ever moved forward, so replaying what a write already saved is harmless.
 */
export async function catchUpUserProfiles(dataSource: DataSource, options: ProjectionRunOptions = {}): Promise<ProjectionRunResult> {
  const batchSize = options.batchSize ?? 500;
  // A store of its own, without NOTIFY: this only reads.
  const store = new PostgresEventStore<ShardEvent>(dataSource, { notify: false });
  let [events, rows] = [0, 0];
  try {
    let position = await readCheckpoint(dataSource);
    for (;;) {
      const batch = await store.readAll({ fromPosition: position, limit: batchSize });
      if (batch.events.length === 0) return { events, rows, position };
      const written = await dataSource.transaction(async (tx) => {
        // Two runs at once: the second waits here, then finds the checkpoint moved and re-reads from it.
        const locked = await readCheckpoint(tx, { forUpdate: true });
        if (locked !== position) return undefined;
        const count = await applyUserEvents(tx, batch.events);
        await writeCheckpoint(tx, batch.nextPosition);
        return count;
      });
      if (written === undefined) {
        position = await readCheckpoint(dataSource);
        continue;
      }
      events += batch.events.length;
      rows += written;
      position = batch.nextPosition;
      if (!batch.hasMore) return { events, rows, position };
    }
  } finally {
    await store.close();
  }
}

/**
 * Throws `user_profiles` away and replays the whole log into it (from START_POSITION). Safe while the
 * service writes: a write that lands meanwhile saves its own, newer row, which the replay then leaves alone.
 *
 * One subtlety: the log is read below the "xmin horizon" (see libs/event-store, global-position.ts). A
 * write whose events committed, but behind an older transaction that is still running, would not be
 * readable yet — and if its row had been saved before the truncate, it would be lost. So the replay
 * starts only once every transaction older than the truncate has ended.
 */
export async function rebuildUserProfiles(dataSource: DataSource, options: ProjectionRunOptions = {}): Promise<ProjectionRunResult> {
  const truncatedBy = await dataSource.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${USER_PROFILES_TABLE} IN ACCESS EXCLUSIVE MODE`);
    await tx.query(`TRUNCATE ${USER_PROFILES_TABLE}`);
    await writeCheckpoint(tx, START_POSITION);
    const rows = (await tx.query('SELECT pg_current_xact_id()::text AS xid')) as { xid: string }[];
    return BigInt(rows[0]!.xid);
  });
  await untilTransactionsEnded(dataSource, truncatedBy, options.settleTimeoutMs ?? 30_000);
  return catchUpUserProfiles(dataSource, options);
}

async function readCheckpoint(sql: SqlRunner, options: { forUpdate?: boolean } = {}): Promise<bigint> {
  const rows = (await sql.query(
    `SELECT position::text AS position FROM ${PROJECTION_CHECKPOINTS_TABLE} WHERE name = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [USER_PROFILES_PROJECTION],
  )) as { position: string }[];
  return rows[0] ? BigInt(rows[0].position) : START_POSITION;
}

async function writeCheckpoint(sql: SqlRunner, position: bigint): Promise<void> {
  await sql.query(
    `INSERT INTO ${PROJECTION_CHECKPOINTS_TABLE} (name, position, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [USER_PROFILES_PROJECTION, position.toString()],
  );
}

/** Waits (polling: Postgres has no notification for it) until no transaction with an id ≤ `xid` is running. */
async function untilTransactionsEnded(dataSource: DataSource, xid: bigint, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    const rows = (await dataSource.query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin')) as { xmin: string }[];
    if (BigInt(rows[0]!.xmin) > xid) return;
    if (Date.now() > deadline) throw new Error(`user_profiles rebuild: transactions older than ${xid} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
