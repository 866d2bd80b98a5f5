import { z } from 'zod';
import type { Event } from './event.js';
import { EventStoreValidationError } from './event-store.errors.js';
import { expectedVersionSchema, type ExpectedVersion } from './expected-version.js';

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
  /**
   * Names the command that produced these events. The first append with a key commits it with the events;
   * any later append with the same key — a retry after a timeout, or a concurrent duplicate — appends
   * nothing and returns the first one's result. Enforced by a unique key in the same transaction.
   */
  readonly idempotencyKey?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Anything else to record with every event of this append (kept under `metadata.extra`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface AppendResult {
  /** The stream's version after this append: pass it as `expectedVersion` to append right after it. */
  readonly nextExpectedVersion: number;
  readonly firstPosition: bigint;
  /** The position of the last event appended (for read-your-writes: wait until a reader got this far). */
  readonly lastPosition: bigint;
  /** True when the idempotency key had been used: these are the first append's numbers, nothing was appended now. */
  readonly idempotentReplay: boolean;
}

/** Limits that keep one append one statement of reasonable size. */
export const MAX_EVENTS_PER_APPEND = 1_000;
const MAX_ID_LENGTH = 256;

const idSchema = z.string().min(1).max(MAX_ID_LENGTH);

const appendSchema = z.object({
  streamId: idSchema,
  events: z
    .array(
      z.object({
        type: z.string().min(1).max(MAX_ID_LENGTH),
        data: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1)
    .max(MAX_EVENTS_PER_APPEND),
  options: z.strictObject({
    expectedVersion: expectedVersionSchema,
    idempotencyKey: idSchema.optional(),
    correlationId: idSchema.optional(),
    causationId: idSchema.optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** One event as the append function takes it (JSON). */
export interface EventRow {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly eventId: string;
}

export interface ValidAppend {
  readonly streamId: string;
  readonly options: AppendOptions;
  /** The events as one JSON array, ready for the append function. */
  readonly eventsJson: string;
}

/** Checks an append at the boundary and shapes it for the database; throws EventStoreValidationError. */
export function validateAppend(streamId: string, events: readonly Event[], options: AppendOptions, newEventId: () => string): ValidAppend {
  const parsed = appendSchema.safeParse({ streamId, events, options });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    throw new EventStoreValidationError(`invalid append to "${streamId}": ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues);
  }
  const { correlationId, causationId, idempotencyKey, metadata: extra } = options;
  const metadata = { correlationId, causationId, idempotencyKey, extra };
  const rows: EventRow[] = events.map((event) => ({ type: event.type, data: event.data, metadata, eventId: newEventId() }));
  let eventsJson: string;
  try {
    eventsJson = JSON.stringify(rows);
  } catch (cause) {
    throw new EventStoreValidationError(`invalid append to "${streamId}": event data is not JSON-serializable`, [], { cause });
  }
  return { streamId, options, eventsJson };
}
