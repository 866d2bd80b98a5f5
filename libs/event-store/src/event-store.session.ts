import { validateAppend, type AppendOptions, type AppendResult } from './append-options.js';
import type { Event } from './event.js';
import type { AppendRecord, EventStoreRepository } from './event-store.repository.js';
import {
  AppendOrderConflictError,
  EventStoreSchemaMissingError,
  ExpectedVersionConflictError,
  IdempotencyKeyReuseError,
  EventStoreValidationError,
  isExpectedVersionConflictError,
} from './event-store.errors.js';
import type {
  EventStoreSession,
  IdempotentAppend,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamResult,
} from './event-store.js';
import { isVersionAgnostic, type ExpectedVersion } from './expected-version.js';
import { pgErrorFields } from './pg-error.js';
import { recordedFromRow } from './recorded-event.mapper.js';
import type { RecordedEvent } from './recorded-event.js';
import { APPEND_FUNCTION, SQLSTATE } from './schema/event-store.schema.js';

export interface SessionContext {
  /** Inside `store.transaction()`: a failed statement aborts the transaction, so nothing is retried here. */
  readonly inTransaction: boolean;
  readonly onAppended: () => void;
  readonly newEventId: () => string;
  /** How often an 'any'/'stream_exists' append is retried after losing a race for the next version. */
  readonly maxVersionAgnosticRetries: number;
}

const DEFAULT_READ_ALL_LIMIT = 500;
const MAX_READ_ALL_LIMIT = 10_000;

/** The store's operations on one repository — the DataSource's own, or a transaction's. */
export class PostgresEventStoreSession<E extends Event> implements EventStoreSession<E> {
  constructor(
    private readonly repository: EventStoreRepository,
    private readonly context: SessionContext,
  ) {}

  async appendToStream(streamId: string, events: readonly E[], options: AppendOptions): Promise<AppendResult> {
    const append = validateAppend(streamId, events, options, this.context.newEventId);
    const { expectedVersion, idempotencyKey } = options;
    const record = await this.appendWithRetries(streamId, expectedVersion, idempotencyKey, append.eventsJson);
    if (record.outcome === 'duplicate' && record.streamId !== streamId) {
      throw new IdempotencyKeyReuseError(idempotencyKey!, record.streamId, streamId);
    }
    if (record.outcome === 'appended') this.context.onAppended();
    return {
      nextExpectedVersion: record.nextExpectedVersion,
      firstPosition: record.firstPosition,
      lastPosition: record.lastPosition,
      idempotentReplay: record.outcome === 'duplicate',
    };
  }

  private async appendWithRetries(streamId: string, expectedVersion: ExpectedVersion, idempotencyKey: string | undefined, eventsJson: string): Promise<AppendRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.repository.append(streamId, expectedVersion, idempotencyKey, eventsJson);
      } catch (error) {
        const translated = this.translateAppendError(error, streamId, expectedVersion);
        // 'any' and 'stream_exists' stay true after someone else took the next version: append after it.
        const retry =
          isExpectedVersionConflictError(translated) &&
          isVersionAgnostic(expectedVersion) &&
          !this.context.inTransaction &&
          attempt < this.context.maxVersionAgnosticRetries;
        if (!retry) throw translated;
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult<E>> {
    const fromVersion = options.fromVersion ?? 1;
    if (!Number.isInteger(fromVersion) || fromVersion < 1) throw new EventStoreValidationError(`readStream: fromVersion must be an integer ≥ 1, got ${fromVersion}`);
    const { maxCount } = options;
    if (maxCount !== undefined && (!Number.isInteger(maxCount) || maxCount < 0)) throw new EventStoreValidationError(`readStream: maxCount must be an integer ≥ 0, got ${maxCount}`);
    // Events and version from one snapshot (see the repository): handleCommand appends what it decided on
    // these events at this version, so they must describe the same stream state.
    const { events: rows, currentVersion } = await this.repository.readStream(streamId, fromVersion, maxCount);
    const events = rows.map((row) => recordedFromRow<E>(row));
    return { streamId, events, currentVersion, streamExists: currentVersion > 0 };
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllResult<E>> {
    const { fromPosition } = options;
    const limit = options.limit ?? DEFAULT_READ_ALL_LIMIT;
    if (typeof fromPosition !== 'bigint' || fromPosition < 0n) throw new EventStoreValidationError(`readAll: fromPosition must be a bigint ≥ 0n, got ${String(fromPosition)}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READ_ALL_LIMIT) throw new EventStoreValidationError(`readAll: limit must be 1…${MAX_READ_ALL_LIMIT}, got ${limit}`);
    const events = await this.readAllBatch(fromPosition, limit);
    return { events, nextPosition: events.at(-1)?.metadata.position ?? fromPosition, hasMore: events.length === limit };
  }

  /** readAll without the checks, for subscriptions. */
  async readAllBatch(after: bigint, limit: number): Promise<RecordedEvent<E>[]> {
    const rows = await this.repository.readAll(after, limit);
    return rows.map((row) => recordedFromRow<E>(row));
  }

  readHeadPosition(): Promise<bigint> {
    return this.repository.headPosition();
  }

  async findIdempotentAppend(idempotencyKey: string): Promise<IdempotentAppend | undefined> {
    const row = await this.repository.findIdempotencyKey(idempotencyKey);
    if (!row) return undefined;
    return {
      idempotencyKey: row.key,
      streamId: row.streamId,
      nextExpectedVersion: row.nextExpectedVersion,
      firstPosition: row.firstPosition,
      lastPosition: row.lastPosition,
      recordedAt: row.recordedAt,
    };
  }

  /** The typed error for what the database said, or the error itself. */
  private translateAppendError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
    const { code, detail, message } = { ...pgErrorFields(error), message: error instanceof Error ? error.message : '' };
    switch (code) {
      case SQLSTATE.expectedVersionConflict:
        return new ExpectedVersionConflictError(streamId, expected, Number(detail), { cause: error });
      case SQLSTATE.appendOrderConflict:
        return new AppendOrderConflictError(streamId, { cause: error });
      case SQLSTATE.undefinedFunction:
        return message.includes(APPEND_FUNCTION) ? new EventStoreSchemaMissingError({ cause: error }) : error;
      case SQLSTATE.undefinedTable:
        return new EventStoreSchemaMissingError({ cause: error });
      default:
        return error;
    }
  }
}
