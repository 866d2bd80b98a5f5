import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppendOptions, AppendResult } from './append-options.js';
import { EventEntity } from './entities/events.entity.js';
import type { Event } from './event.js';
import { EventStoreRepository } from './event-store.repository.js';
import { PostgresEventStoreSession, type SessionContext } from './event-store.session.js';
import type {
  EventStore,
  EventStoreSession,
  TransactionSql,
  IdempotentAppend,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamResult,
} from './event-store.js';
import { EVENTS_CHANNEL } from './schema/event-store.schema.js';
import { AppendNotifier } from './subscription/append-notifier.js';
import { PollingSubscription, type EventSubscription, type SubscribeOptions, type SubscriptionHandler } from './subscription/event-subscription.js';
import { NotificationListener } from './subscription/notification-listener.js';
import { WakeSignal } from './subscription/wake-signal.js';

export interface PostgresEventStoreOptions {
  /**
   * Send a (coalesced) NOTIFY after appends so subscribers in other processes wake at once (default true).
   * Without it they still see every event, within their poll interval.
   */
  readonly notify?: boolean;
  /** How often an 'any'/'stream_exists' append retries after losing the race for the next version (default 10). */
  readonly maxVersionAgnosticRetries?: number;
  /** Event ids (default: random UUIDs). */
  readonly newEventId?: () => string;
}

/**
 * The event store of one shard: an append-only log in that shard's Postgres, reached through a TypeORM
 * DataSource that includes EVENT_STORE_ENTITIES and whose database has the schema (ensureEventStoreSchema).
 * Generic over the service's event union `E`.
 */
export class PostgresEventStore<E extends Event> implements EventStore<E> {
  private readonly repository: EventStoreRepository;
  private readonly session: PostgresEventStoreSession<E>;
  private readonly wake = new WakeSignal();
  private readonly notifier: AppendNotifier | undefined;
  private readonly listener: NotificationListener;
  private readonly subscriptions = new Set<EventSubscription>();
  private readonly context: Omit<SessionContext, 'inTransaction' | 'onAppended'>;

  constructor(
    private readonly dataSource: DataSource,
    options: PostgresEventStoreOptions = {},
  ) {
    if (dataSource.isInitialized && !dataSource.hasMetadata(EventEntity)) {
      throw new Error('this DataSource does not know the event store entities: add EVENT_STORE_ENTITIES to its `entities`');
    }
    this.repository = new EventStoreRepository(dataSource.manager);
    this.context = {
      newEventId: options.newEventId ?? randomUUID,
      maxVersionAgnosticRetries: options.maxVersionAgnosticRetries ?? 10,
    };
    this.session = new PostgresEventStoreSession<E>(this.repository, { ...this.context, inTransaction: false, onAppended: () => this.afterCommit() });
    this.notifier = options.notify === false ? undefined : new AppendNotifier(() => this.repository.notify(EVENTS_CHANNEL));
    this.listener = new NotificationListener(dataSource, EVENTS_CHANNEL, () => this.wake.notify());
  }

  appendToStream(streamId: string, events: readonly E[], options: AppendOptions): Promise<AppendResult> {
    return this.session.appendToStream(streamId, events, options);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult<E>> {
    return this.session.readStream(streamId, options);
  }

  readAll(options: ReadAllOptions): Promise<ReadAllResult<E>> {
    return this.session.readAll(options);
  }

  readHeadPosition(): Promise<bigint> {
    return this.session.readHeadPosition();
  }

  findIdempotentAppend(idempotencyKey: string): Promise<IdempotentAppend | undefined> {
    return this.session.findIdempotentAppend(idempotencyKey);
  }

  async transaction<T>(work: (session: EventStoreSession<E>, sql: TransactionSql) => Promise<T>): Promise<T> {
    let appended = false;
    const result = await this.dataSource.transaction((manager) =>
      work(
        new PostgresEventStoreSession<E>(new EventStoreRepository(manager), {
          ...this.context,
          inTransaction: true,
          onAppended: () => (appended = true),
        }),
        manager,
      ),
    );
    // Only now are the events visible: wake subscribers after the commit, never before.
    if (appended) this.afterCommit();
    return result;
  }

  subscribe(fromPosition: bigint, handler: SubscriptionHandler<E>, options: SubscribeOptions = {}): EventSubscription {
    const subscription = new PollingSubscription<E>(
      {
        readAll: (after, limit) => this.session.readAllBatch(after, limit),
        wake: this.wake,
        // Not awaited: a pool with no free connection must not hold up delivery; once listening, the
        // listener wakes everyone once, so nothing appended meanwhile waits for the poll interval.
        beforeIdle: () => void this.listener.ensure(),
      },
      fromPosition,
      handler,
      options,
    );
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.listener.close();
    await this.notifier?.idle();
  }

  private afterCommit(): void {
    this.wake.notify();
    this.notifier?.signal();
  }
}
