/**
 * The database state the checkers compare the history with, taken after heal and the quiet period. Filled
 * by whoever collects it from the lab (one query per table per shard primary); the checkers only read it.
 * Times are milliseconds since the run started, on the history's clock.
 */

/**
 * One row of a shard's `events` table, everything included (the checkers look for gaps and duplicates):
 *   SELECT stream_id, version, position::text, type, data, event_id,
 *          metadata->>'idempotencyKey', metadata->>'correlationId' FROM events
 */
export interface StoredEvent {
  readonly streamId: string;
  readonly version: number;
  /** `position` as pg returns it (int8 comes back as text); it encodes the appending transaction (global-position.ts). */
  readonly position: bigint | number | string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly eventId: string;
  readonly idempotencyKey?: string;
  /** The request id (the client's Idempotency-Key) of the command that appended it. */
  readonly correlationId?: string;
}

/** A `user_profiles` row: SELECT user_id, email, name, version FROM user_profiles. */
export interface UserProfileRow {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly version: number;
}

/** A `media_items` row: SELECT media_id, owner_id, sha256, version, deleted_at IS NOT NULL AS deleted FROM media_items. */
export interface MediaItemRow {
  readonly mediaId: string;
  readonly ownerId: string;
  readonly sha256: string;
  readonly version: number;
  readonly deleted: boolean;
}

/**
 * A mail in the worker's sink (`mail_outbox`, on the user's shard):
 *   SELECT message_id, user_id, to_address FROM mail_outbox
 * `messageId` is the id of the job that wrote it (`welcome-<userId>`).
 */
export interface MailRow {
  readonly messageId: string;
  readonly userId: string;
  readonly to: string;
}

export interface ShardSnapshot {
  readonly shard: number;
  /** The node the rows were read from (the primary after heal). */
  readonly node?: string;
  readonly events: readonly StoredEvent[];
  readonly userProfiles: readonly UserProfileRow[];
  /** Omitted when media was not part of the workload: uploads are then checked against the log only (and say so). */
  readonly mediaItems?: readonly MediaItemRow[];
  /** The mail sink's rows; omitted when not collected (the welcome mails are then "unchecked", not a pass). */
  readonly mailOutbox?: readonly MailRow[];
}

/**
 * A period in which one node of a shard accepted writes (it committed them as a primary). A node that was
 * primary twice (failed over, then back) has two windows. Built from per-node commit times with
 * `writeWindowsOf` (split-brain.checker.ts) or from the ledger's view of who was primary when.
 */
export interface NodeWriteWindow {
  readonly shard: number;
  readonly node: string;
  readonly acceptedWritesFrom: number;
  readonly acceptedWritesUntil: number;
}

export interface StoreSnapshot {
  readonly shards: readonly ShardSnapshot[];
  /** Every node's write windows over the run; `[]` means no node accepted a write. */
  readonly writeWindows: readonly NodeWriteWindow[];
}
