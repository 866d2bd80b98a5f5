// Events between services: per shard, a relay publishes the event log to NATS JetStream (de-duplicated by
// shard and position); consumers are durable, idempotent and resume where they stopped. See ../README.md.
export {
  EVENT_STREAM_NAME,
  EVENT_SUBJECT_PREFIX,
  EventHeaders,
  eventMessageId,
  eventSubject,
  eventSubjectFilter,
  streamCategoryOf,
  subjectToken,
  type EventSubjectFilter,
} from './subjects.js';
export {
  decodeEventMessage,
  encodeEvent,
  fromBusPayload,
  MalformedEventError,
  toBusPayload,
  type BusEventPayload,
  type DeliveredEvent,
  type EncodedEvent,
  type EventDelivery,
  type EventMessage,
} from './bus-event.js';
export { ensureEventStream, eventStreamDefaults, type EventStreamOptions } from './event-stream.js';
export { eventBusMetrics, type ConsumerOutcome, type EventBusMetrics } from './event-bus.metrics.js';
export { backoffDelay, type BackoffOptions, type EventBusLog, type EventBusLogLevel } from './runtime.js';
export { EventRelay, eventRelayDefaults, type EventRelayOptions, type EventRelayState } from './relay/event-relay.js';
export { startEventRelays, type EventRelays, type EventRelaysOptions } from './relay/event-relays.js';
export { ensureRelaySchema, readRelayCheckpoint, RELAY_SCHEMA_STATEMENTS } from './relay/relay-checkpoints.js';
export type { ProcessedStore, RunOnceRequest, RunOnceResult } from './consumer/processed-store.js';
export { RedisProcessedStore, type RedisProcessedStoreOptions } from './consumer/redis-processed-store.js';
export {
  ensureProcessedEventsSchema,
  PostgresProcessedStore,
  PROCESSED_EVENTS_SCHEMA_STATEMENTS,
  type PostgresProcessedStoreOptions,
  type ProcessedTransaction,
} from './consumer/postgres-processed-store.js';
export {
  consumeEvents,
  consumeEventsDefaults,
  ensureEventConsumer,
  readConsumerLag,
  type ConsumeEventsOptions,
  type EventConsumer,
  type EventConsumerConfig,
  type EventHandler,
} from './consumer/consume-events.js';
