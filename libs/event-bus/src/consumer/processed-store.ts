import type { DeliveredEvent } from '../bus-event.js';

/** What `runOnce` did. */
export type RunOnceResult =
  /** `work` ran and its completion is recorded. */
  | 'processed'
  /** Already recorded as processed: `work` did not run. */
  | 'duplicate'
  /** Another delivery of the same event is being processed right now (Redis lease): retry later. */
  | 'busy';

export interface RunOnceRequest {
  /** The consumer's durable name: every consumer keeps its own record. */
  readonly consumer: string;
  /** What identifies the event (the consumers use its event id). */
  readonly key: string;
  /** The event, for stores that route by it (e.g. a transaction on the event's shard). */
  readonly event: DeliveredEvent;
}

/**
 * Remembers which events a consumer processed, so that a redelivery (at-least-once) does not run the
 * handler again. `Ctx` is what the handler gets to do its own writes with — the transaction of a
 * Postgres store, nothing for Redis.
 */
export interface ProcessedStore<Ctx = void> {
  /**
   * Runs `work` unless the event is recorded as processed, and records it once `work` succeeded. If
   * `work` throws, nothing is recorded and the error is thrown.
   */
  runOnce(request: RunOnceRequest, work: (context: Ctx) => Promise<void>): Promise<RunOnceResult>;
  /** Whether the event is recorded as processed by that consumer. */
  has(consumer: string, key: string): Promise<boolean>;
}
