import type { FaultRecord } from './fault-record.js';

export type OrphanReason = 'expired' | 'orphaned';

/** The owner process still runs: same pid, same start time (so a reused pid does not count). */
export type IsAlive = (owner: { pid: number; startTime: number }) => boolean;

/**
 * Why a fault must be undone now by whoever finds it, or undefined when it is someone's business still:
 * `expired` — its time is up; `orphaned` — the process that was to undo it is gone (SIGKILLed, crashed).
 * A fault without owner nor expiry was made to stay until `faultline fault heal`.
 */
export function orphanReason(record: FaultRecord, now: number, isAlive: IsAlive): OrphanReason | undefined {
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now) return 'expired';
  if (record.owner !== undefined && !isAlive(record.owner)) return 'orphaned';
  return undefined;
}
