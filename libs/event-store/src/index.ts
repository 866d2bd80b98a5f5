// Append-only event log per shard, on TypeORM over pg: append with expected versions and idempotency keys,
// read a stream, read all from a position, subscribe; and handleCommand for decide/evolve aggregates.
export type { Event, EventOfType, EventTypeOf } from './event.js';
export type { RecordedEvent, RecordedEventMetadata } from './recorded-event.js';
export { expectedVersionSchema, isExpectedVersionMet, isVersionAgnostic, type ExpectedVersion } from './expected-version.js';
export { MAX_EVENTS_PER_APPEND, type AppendOptions, type AppendResult } from './append-options.js';
export { EVENTS_PER_TRANSACTION, START_POSITION, parsePosition, transactionIdOf } from './global-position.js';
export {
  AppendOrderConflictError,
  EventStoreSchemaMissingError,
  EventStoreValidationError,
  ExpectedVersionConflictError,
  IdempotencyKeyReuseError,
  isAppendOrderConflictError,
  isEventStoreSchemaMissingError,
  isEventStoreValidationError,
  isExpectedVersionConflictError,
  isIdempotencyKeyReuseError,
} from './event-store.errors.js';
export type {
  EventStore,
  EventStoreSession,
  IdempotentAppend,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamResult,
  TransactionSql,
} from './event-store.js';
export type { EventSubscription, SubscribeOptions, SubscriptionEnd, SubscriptionHandler } from './subscription/event-subscription.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';
export { handleCommand, type Decider, type HandleCommandOptions, type HandleCommandResult } from './command-handler.js';
export { EventEntity } from './entities/events.entity.js';
export { IdempotencyKeyEntity } from './entities/idempotency-keys.entity.js';
export { EVENT_STORE_ENTITIES } from './entities/event-store.entities.js';
export { createEventStoreDataSource, type EventStoreDataSourceOptions } from './event-store.data-source.js';
export { ensureEventStoreSchema } from './schema/ensure-schema.js';
export { EventStoreSchemaMigration1764115200000 } from './schema/event-store.migration.js';
export { EVENTS_CHANNEL } from './schema/event-store.schema.js';
// The relay of libs/event-bus waits on appended events the same way subscriptions do.
export { WakeSignal } from './subscription/wake-signal.js';
