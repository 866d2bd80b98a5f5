import type { FaultSpec } from '../faults/fault-spec.js';

/** Who will undo a fault: while this process lives the fault is its business; once it is gone, anyone's. */
export interface FaultOwner {
  readonly pid: number;
  readonly startTime: number;
  /** What it is, for messages: `faultline fault inject`, `faultline chaos run kill-primary`. */
  readonly what: string;
}

/** One fault in the ledger: enough to undo it from another process, after a crash of the one that made it. */
export interface FaultRecord {
  readonly id: string;
  readonly spec: FaultSpec;
  /** One line for people: `latency 200±50 ms on 14 links (between=dc-a:dc-b)`. */
  readonly label: string;
  /** The selector or component the user named, as typed. */
  readonly target: string;
  readonly createdAt: string;
  /** Set once the fault took effect; a record without it was being applied when its owner stopped. */
  readonly appliedAt?: string;
  /** After this the fault is undone by whoever looks first. */
  readonly expiresAt?: string;
  /** Absent: a fault the user made to stay until `faultline fault heal`. */
  readonly owner?: FaultOwner;
  /** The experiment run the fault belongs to, if any. */
  readonly run?: string;
}

/** A line of the ledger's history (`faults/history.jsonl`): when each fault began and ended. */
export interface FaultHistoryLine {
  readonly id: string;
  readonly event: 'injected' | 'healed';
  readonly at: string;
  readonly kind: FaultSpec['kind'];
  readonly label: string;
  readonly target: string;
  readonly run?: string;
  /** For `healed`: who undid it (`owner`, `expired`, `orphaned`, `user`). */
  readonly reason?: string;
}
