import type { AppendOptions, AppendResult } from './append-options.js';
import type { Event } from './event.js';
import type { RecordedEvent } from './recorded-event.js';
import type { EventSubscription, SubscribeOptions, SubscriptionHandler } from './subscription/event-subscription.js';

export interface ReadStreamOptions {
  /** The first version to return (default 1: the whole stream). */
  readonly fromVersion?: number;
  readonly maxCount?: number;
}

export interface ReadStreamResult<E extends Event> {
  readonly streamId: string;
  readonly events: readonly RecordedEvent<E>[];
  /** The stream's version when read: the version of its last event, 0 when it has none. */
  readonly currentVersion: number;
  readonly streamExists: boolean;
}

export interface ReadAllOptions {
  /** A checkpoint: events strictly after this position are returned. START_POSITION (0n) for all. */
  readonly fromPosition: bigint;
  /** At most this many events (default 500, at most 10 000). */
  readonly limit?: number;
}

export interface ReadAllResult<E extends Event> {
  /** In position order, only events no in-flight transaction can precede (global-position.ts). */
  readonly events: readonly RecordedEvent<E>[];
  /** The checkpoint to pass next: the last event's position, or `fromPosition` when there was none. */
  readonly nextPosition: bigint;
  /** The limit was reached: more may be ready right away. */
  readonly hasMore: boolean;
}

/** The first result of an append made with an idempotency key. */
export interface IdempotentAppend {
  readonly idempotencyKey: string;
  readonly streamId: string;
  readonly nextExpectedVersion: number;
  readonly firstPosition: bigint;
  readonly lastPosition: bigint;
  readonly recordedAt: Date;
}

/** Plain SQL inside an event store transaction (TypeORM's EntityManager has this method). */
export interface TransactionSql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** What can be done on the store, or inside one of its transactions. */
export interface EventStoreSession<E extends Event> {
  appendToStream(streamId: string, events: readonly E[], options: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult<E>>;
  readAll(options: ReadAllOptions): Promise<ReadAllResult<E>>;
  /** The position of the last event readers can see now; START_POSITION when none. */
  readHeadPosition(): Promise<bigint>;
  /** The stored result of the append that used this key, if one committed. */
  findIdempotentAppend(idempotencyKey: string): Promise<IdempotentAppend | undefined>;
}

export interface EventStore<E extends Event> extends EventStoreSession<E> {
  /** Calls `handler` for every event after `fromPosition`, in order, until stopped. */
  subscribe(fromPosition: bigint, handler: SubscriptionHandler<E>, options?: SubscribeOptions): EventSubscription;
  /**
   * Runs `work` in one database transaction: its appends commit together or not at all. `sql` runs
   * other statements in the same transaction — inline projections, whose rows then commit atomically
   * with the events they come from.
   */
  transaction<T>(work: (session: EventStoreSession<E>, sql: TransactionSql) => Promise<T>): Promise<T>;
  /** Stops every subscription and the LISTEN connection. The DataSource stays open: it is the caller's. */
  close(): Promise<void>;
}
