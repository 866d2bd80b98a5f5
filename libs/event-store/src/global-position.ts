import type { ValueTransformer } from 'typeorm';

/**
 * Global positions, and why reading "everything after position P" never skips an event.
 *
 * The trap: a sequence (bigserial) hands out numbers when rows are inserted, but transactions commit in
 * another order. A reader that sees 7 committed while 6 is still in flight moves its checkpoint to 7 and
 * never sees 6. Gaps cannot be waited out either: aborted transactions leave permanent ones.
 *
 * The choice here: the position is derived from the appending transaction's id,
 * `position = xid × 2^16 + n` (n = 1, 2, … within the transaction), and readers only read below the
 * "xmin horizon" of their snapshot, `position < xmin × 2^16`, where xmin is the oldest transaction still in
 * progress. Every transaction below xmin has finished, and every transaction that has not finished — or has
 * not started — has an id ≥ xmin, so every event that will ever commit later gets a position above
 * everything a reader has returned. Positions are then a total order every reader agrees on, and a
 * checkpoint is one number. (emmett orders by (transaction id, sequence) for the same reason, which makes
 * the checkpoint a pair; folding both into one bigint keeps it a number.)
 *
 * Per stream, versions and positions rise together: the append reads the stream's head before its
 * transaction takes an id, so any event it builds on belongs to an older transaction (an append inside a
 * longer transaction that took its id earlier is refused with AppendOrderConflictError instead).
 *
 * Costs, documented rather than hidden: a long-running transaction that holds an id (on this database)
 * holds readers back until it ends — appends still succeed, subscribers just see them later; keep
 * `idle_in_transaction_session_timeout` set. Positions rely on transaction ids only ever growing, which holds
 * across restarts, failover to a streaming replica and pg_upgrade, but not across a logical dump/restore into
 * a new cluster. Appends never wait on each other (no shard-wide lock), so concurrent commits still share WAL flushes.
 */

/** Events one transaction can append (n runs from 1 to this). */
export const EVENTS_PER_TRANSACTION = 65_535;
export const POSITION_TRANSACTION_FACTOR = 65_536n;
/** The checkpoint of a reader that has read nothing: every event is after it. */
export const START_POSITION = 0n;

/** pg returns int8 as text (we select positions as text, so `parseInt8` elsewhere cannot round them). */
export function parsePosition(raw: string | number | bigint): bigint {
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw)) throw new RangeError(`position ${raw} was rounded by the driver (parseInt8?)`);
    return BigInt(raw);
  }
  if (!/^\d+$/.test(raw)) throw new RangeError(`not a position: ${JSON.stringify(raw)}`);
  return BigInt(raw);
}

/** The id of the transaction that appended the event at `position`. */
export const transactionIdOf = (position: bigint): bigint => position / POSITION_TRANSACTION_FACTOR;

/** For bigint columns of the entities: bigint in TypeScript, text on the wire. */
export const bigintColumnTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | number | null) => (value === null ? value : parsePosition(value)),
};
