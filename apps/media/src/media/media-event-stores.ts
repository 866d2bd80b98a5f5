import type { MediaEvent } from '#libs/contracts';
import { PostgresEventStore } from '#libs/event-store';
import type { DataSource } from 'typeorm';

/**
 * One PostgresEventStore per DataSource (per node the router hands out), made on first use and kept: the
 * store is cheap, but it owns the NOTIFY coalescing and, once subscribed, a LISTEN connection.
 */
export class MediaEventStores {
  private readonly stores = new Map<DataSource, PostgresEventStore<MediaEvent>>();

  of(dataSource: DataSource): PostgresEventStore<MediaEvent> {
    let store = this.stores.get(dataSource);
    if (!store) {
      store = new PostgresEventStore<MediaEvent>(dataSource);
      this.stores.set(dataSource, store);
    }
    return store;
  }

  /** Stops the stores' subscriptions and LISTEN connections; the DataSources are the router's. */
  async close(): Promise<void> {
    const stores = [...this.stores.values()];
    this.stores.clear();
    await Promise.allSettled(stores.map((store) => store.close()));
  }
}
