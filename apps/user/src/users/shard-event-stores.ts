import type { EmailReservationEvent, UserEvent } from '#libs/contracts';
import { PostgresEventStore, type EventStore, type EventStoreSession } from '#libs/event-store';
import type { DataSource } from 'typeorm';

/** Every event the user service appends to a shard's log: user streams and email reservation streams. */
export type ShardEvent = UserEvent | EmailReservationEvent;

/**
 * One PostgresEventStore per DataSource (per node the router hands out), made on first use and kept: the
 * store is cheap, but it owns the NOTIFY coalescing and, once subscribed, a LISTEN connection.
 */
export class ShardEventStores {
  private readonly stores = new Map<DataSource, PostgresEventStore<ShardEvent>>();

  of(dataSource: DataSource): PostgresEventStore<ShardEvent> {
    let store = this.stores.get(dataSource);
    if (!store) {
      store = new PostgresEventStore<ShardEvent>(dataSource);
      this.stores.set(dataSource, store);
    }
    return store;
  }

  /**
   * The store seen through one kind of stream. The stream id decides what a stream holds (a `user-…`
   * stream only ever gets UserEvents), which the type system cannot see: hence the cast, kept here.
   */
  users(dataSource: DataSource): EventStore<UserEvent> {
    return this.of(dataSource) as unknown as EventStore<UserEvent>;
  }

  reservations(dataSource: DataSource): EventStoreSession<EmailReservationEvent> {
    return this.of(dataSource) as unknown as EventStoreSession<EmailReservationEvent>;
  }

  /** Stops the stores' subscriptions and LISTEN connections; the DataSources are the router's. */
  async close(): Promise<void> {
    const stores = [...this.stores.values()];
    this.stores.clear();
    await Promise.allSettled(stores.map((store) => store.close()));
  }
}
