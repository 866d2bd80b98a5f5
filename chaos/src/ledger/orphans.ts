import type { FaultRecord } from './fault-record.js';

export type OrphanReason = 'expired' | 'orphaned';

/** The owner process still runs: same pid, same start time (so a reused pid does not count). */
export type IsAlive = (owner: { pid: number; startTime: number }) => boolean;

/**
 * How long past its expiry a fault stays its running owner's business: the owner (`fault inject --duration`,
 * a chaos run) heals on time itself, and another command healing it at the same moment made the owner's own
 * heal fail. An owner still holding it this long after is stuck, and the fault is taken over.
 */
export const OWNER_GRACE_MS = 10_000;

/**
 * Why a fault must be undone now by whoever finds it, or undefined when it is someone's business still:
 * `expired` — its time is up (for a fault whose owner runs, OWNER_GRACE_MS after that); `orphaned` — the
 * process that was to undo it is gone (SIGKILLed, crashed). A fault without owner nor expiry was made to stay
 * until `faultline fault heal`.
 */
export function orphanReason(record: FaultRecord, now: number, isAlive: IsAlive): OrphanReason | undefined {
  const ownerAlive = record.owner !== undefined && isAlive(record.owner);
  if (record.owner !== undefined && !ownerAlive) return 'orphaned';
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) + (ownerAlive ? OWNER_GRACE_MS : 0) <= now) return 'expired';
  return undefined;
}
