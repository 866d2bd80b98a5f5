import type { EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from './entities/idempotency-keys.entity.js';
import type { ExpectedVersion } from './expected-version.js';
import { parsePosition } from './global-position.js';
import type { EventRowRecord } from './recorded-event.mapper.js';
import { APPEND_FUNCTION } from './schema/event-store.schema.js';

/** What the append function returned. */
export interface AppendRecord {
  readonly outcome: 'appended' | 'duplicate';
  readonly streamId: string;
  readonly nextExpectedVersion: number;
  readonly firstPosition: bigint;
  readonly lastPosition: bigint;
}

/** A stream read: its events from a version on, and its version, both as of one snapshot. */
export interface StreamRead {
  readonly events: EventRowRecord[];
  /** The version of the stream's last event (0 when it has none), whatever part of it `events` holds. */
  readonly currentVersion: number;
}

/** A row of the stream read: the head on every row; the event columns are NULL on the one row of an empty read. */
type StreamReadRow = { head_version: number } & (EventRowRecord | { readonly [K in keyof EventRowRecord]: null });

interface AppendFunctionRow {
  r_outcome: 'appended' | 'duplicate';
  r_stream_id: string;
  r_next_expected_version: number;
  r_first_position: string;
  r_last_position: string;
}

/**
 * The xmin horizon of the statement's own snapshot, in positions: everything below it is final
 * (see global-position.ts). Evaluated once per statement, so rows and horizon come from one snapshot.
 */
const HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 65536';

const EVENT_COLUMNS = 'position::text AS position, stream_id, version, type, data, metadata, event_id, recorded_at';

/** Every query of the event store, on one EntityManager (the DataSource's, or a transaction's). */
export class EventStoreRepository {
  constructor(private readonly manager: EntityManager) {}

  /** One round trip: the append function does the checks and the inserts in the caller's transaction (or its own). */
  async append(streamId: string, expected: ExpectedVersion, idempotencyKey: string | undefined, eventsJson: string): Promise<AppendRecord> {
    const [mode, version] = typeof expected === 'number' ? ['exact', expected] : [expected, null];
    const rows = (await this.manager.query(
      `SELECT r_outcome, r_stream_id, r_next_expected_version, r_first_position::text AS r_first_position, r_last_position::text AS r_last_position
         FROM ${APPEND_FUNCTION}($1, $2, $3, $4, $5::jsonb)`,
      [streamId, mode, version, idempotencyKey ?? null, eventsJson],
    )) as AppendFunctionRow[];
    const row = rows[0];
    if (!row) throw new Error(`${APPEND_FUNCTION} returned no row`);
    return {
      outcome: row.r_outcome,
      streamId: row.r_stream_id,
      nextExpectedVersion: row.r_next_expected_version,
      firstPosition: parsePosition(row.r_first_position),
      lastPosition: parsePosition(row.r_last_position),
    };
  }

  /**
   * A stream's events from a version on (at most `maxCount`), in version order, and the stream's version, in
   * ONE statement: a statement reads one snapshot, so the version is the one the events were read at. Two
   * statements (events, then the head) can straddle a concurrent commit — read no events, then find version
   * 1 — and a decision folded from "no events" would then be appended at version 1 and succeed: the
   * expected-version check is only as good as the pairing of state and version. The same holds inside a
   * transaction (READ COMMITTED takes a snapshot per statement).
   * Per-stream reads need no horizon: versions are dense.
   */
  async readStream(streamId: string, fromVersion: number, maxCount?: number): Promise<StreamRead> {
    // LIMIT NULL is no limit. The LEFT JOIN keeps the head when no event is in range (the empty stream, too).
    const rows = (await this.manager.query(
      `SELECT h.head_version, ${EVENT_COLUMNS}
         FROM (SELECT COALESCE(max(version), 0) AS head_version FROM events WHERE stream_id = $1) h
         LEFT JOIN LATERAL (
           SELECT * FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3
         ) e ON true
        ORDER BY e.version`,
      [streamId, fromVersion, maxCount ?? null],
    )) as StreamReadRow[];
    const currentVersion = rows[0]?.head_version ?? 0;
    const events = rows.filter((row): row is StreamReadRow & EventRowRecord => row.position !== null);
    return { events, currentVersion };
  }

  /** Events after `after`, in position order, never past the snapshot's xmin horizon. */
  async readAll(after: bigint, limit: number): Promise<EventRowRecord[]> {
    return (await this.manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 AND position < ${HORIZON} ORDER BY position LIMIT $2`,
      [after.toString(), limit],
    )) as EventRowRecord[];
  }

  /** The position of the last event a reader can see now (0 when none). */
  async headPosition(): Promise<bigint> {
    const rows = (await this.manager.query(`SELECT COALESCE(max(position), 0)::text AS head FROM events WHERE position < ${HORIZON}`)) as {
      head: string;
    }[];
    return parsePosition(rows[0]?.head ?? '0');
  }

  findIdempotencyKey(key: string): Promise<IdempotencyKeyEntity | null> {
    return this.manager.getRepository(IdempotencyKeyEntity).findOneBy({ key });
  }

  /**
   * NOTIFY in a transaction of its own that commits without waiting for the WAL flush: a wake-up hint
   * needs no durability, and an fsync per hint would compete with the appends for the disk.
   */
  async notify(channel: string, payload = ''): Promise<void> {
    await this.manager.query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)`, [channel, payload]);
  }
}
