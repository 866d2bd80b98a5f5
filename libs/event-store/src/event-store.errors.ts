import { FaultlineError, isFaultlineError } from '#libs/errors';
import type { ExpectedVersion } from './expected-version.js';

/**
 * The stream was not where the appender expected it: someone else appended first (or the stream does or
 * does not exist). Nothing was appended. The usual answer is to read the stream again and redecide —
 * `handleCommand` does that.
 */
export class ExpectedVersionConflictError extends FaultlineError<'EXPECTED_VERSION_CONFLICT'> {
  readonly code = 'EXPECTED_VERSION_CONFLICT' as const;

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** The stream's version as read right after the conflict (it may have moved on since). */
    readonly actual: number,
    options?: { cause?: unknown },
  ) {
    super(`stream "${streamId}": expected version ${String(expected)}, but it is at ${actual}`, options);
  }
}

/** An idempotency key came back with a different stream than the append that first used it. */
export class IdempotencyKeyReuseError extends FaultlineError<'IDEMPOTENCY_KEY_REUSED'> {
  readonly code = 'IDEMPOTENCY_KEY_REUSED' as const;

  constructor(
    readonly idempotencyKey: string,
    readonly originalStreamId: string,
    readonly streamId: string,
  ) {
    super(`idempotency key "${idempotencyKey}" was used for stream "${originalStreamId}", not "${streamId}": keys must identify one command`);
  }
}

/**
 * An append inside a longer transaction whose id is older than the stream's last append: committing it
 * would put the stream's new events before its old ones in the global order (see global-position.ts).
 * Nothing was appended and the transaction is aborted; run it again.
 */
export class AppendOrderConflictError extends FaultlineError<'APPEND_ORDER_CONFLICT'> {
  readonly code = 'APPEND_ORDER_CONFLICT' as const;

  constructor(
    readonly streamId: string,
    options?: { cause?: unknown },
  ) {
    super(`stream "${streamId}" was appended to by a younger transaction than this one; retry the transaction`, options);
  }
}

/** A request (an append, a read) was refused before it reached the database: the message lists the offending fields. */
export class EventStoreValidationError extends FaultlineError<'EVENT_STORE_VALIDATION'> {
  readonly code = 'EVENT_STORE_VALIDATION' as const;

  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The tables or the append function are missing from this database. */
export class EventStoreSchemaMissingError extends FaultlineError<'EVENT_STORE_SCHEMA_MISSING'> {
  readonly code = 'EVENT_STORE_SCHEMA_MISSING' as const;

  constructor(options?: { cause?: unknown }) {
    super('the event store schema is missing from this database: call ensureEventStoreSchema(dataSource) or run EventStoreSchemaMigration', options);
  }
}

export const isExpectedVersionConflictError = (error: unknown): error is ExpectedVersionConflictError =>
  isFaultlineError(error, 'EXPECTED_VERSION_CONFLICT');

export const isIdempotencyKeyReuseError = (error: unknown): error is IdempotencyKeyReuseError => isFaultlineError(error, 'IDEMPOTENCY_KEY_REUSED');

export const isAppendOrderConflictError = (error: unknown): error is AppendOrderConflictError => isFaultlineError(error, 'APPEND_ORDER_CONFLICT');

export const isEventStoreValidationError = (error: unknown): error is EventStoreValidationError => isFaultlineError(error, 'EVENT_STORE_VALIDATION');

export const isEventStoreSchemaMissingError = (error: unknown): error is EventStoreSchemaMissingError =>
  isFaultlineError(error, 'EVENT_STORE_SCHEMA_MISSING');
