import type { Event } from './event.js';
import { parsePosition } from './global-position.js';
import type { RecordedEvent, RecordedEventMetadata } from './recorded-event.js';

/** A row of `events` as raw SQL returns it (positions selected as text). */
export interface EventRowRecord {
  readonly position: string;
  readonly stream_id: string;
  readonly version: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly event_id: string;
  readonly recorded_at: Date;
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function toRecorded<E extends Event>(fields: {
  position: bigint;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  eventId: string;
  recordedAt: Date;
}): RecordedEvent<E> {
  const stored = fields.metadata ?? {};
  const extra = stored.extra;
  const metadata: RecordedEventMetadata = {
    eventId: fields.eventId,
    streamId: fields.streamId,
    version: fields.version,
    position: fields.position,
    recordedAt: fields.recordedAt,
    ...(optionalString(stored.correlationId) !== undefined && { correlationId: optionalString(stored.correlationId) }),
    ...(optionalString(stored.causationId) !== undefined && { causationId: optionalString(stored.causationId) }),
    ...(optionalString(stored.idempotencyKey) !== undefined && { idempotencyKey: optionalString(stored.idempotencyKey) }),
    ...(typeof extra === 'object' && extra !== null && { extra: extra as Record<string, unknown> }),
  };
  // The store does not validate stored data against E: it is what this service appended (see README).
  return { type: fields.type, data: fields.data, metadata } as unknown as RecordedEvent<E>;
}

export const recordedFromRow = <E extends Event>(row: EventRowRecord): RecordedEvent<E> =>
  toRecorded<E>({
    position: parsePosition(row.position),
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    eventId: row.event_id,
    recordedAt: row.recorded_at,
  });
