import { EventEntity } from './events.entity.js';
import { IdempotencyKeyEntity } from './idempotency-keys.entity.js';

/** Add these to the `entities` of every DataSource an event store runs on. */
export const EVENT_STORE_ENTITIES = [EventEntity, IdempotencyKeyEntity] as const;
