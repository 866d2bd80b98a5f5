import type { Event } from './event.js';

/** What the store adds to an event when it commits it. */
export interface RecordedEventMetadata {
  readonly eventId: string;
  readonly streamId: string;
  /** 1 for a stream's first event, then +1 per event: dense, per stream. */
  readonly version: number;
  /** The event's place in the shard's whole log; see global-position.ts for what its order means. */
  readonly position: bigint;
  /** The committing transaction's start time, from the database clock. */
  readonly recordedAt: Date;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  /** Whatever else the appender put in `metadata`. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * An event read back from the store. Distributes over the union, so narrowing on `type` still narrows `data`.
 */
export type RecordedEvent<E extends Event = Event> = E extends Event ? E & { readonly metadata: RecordedEventMetadata } : never;
