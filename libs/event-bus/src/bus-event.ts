import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { Event, RecordedEvent, RecordedEventMetadata } from '#libs/event-store';
import { EventHeaders, eventMessageId, eventSubject } from './subjects.js';

/**
 * The wire format of an event on the bus: the recorded event as JSON, positions as strings (they are
 * 64-bit) and `recordedAt` as an ISO timestamp.
 */
export interface BusEventPayload {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: {
    readonly eventId: string;
    readonly streamId: string;
    readonly version: number;
    readonly position: string;
    readonly recordedAt: string;
    readonly correlationId?: string;
    readonly causationId?: string;
    readonly idempotencyKey?: string;
    readonly extra?: Readonly<Record<string, unknown>>;
  };
}

/** A message ready for `js.publish`. */
export interface EncodedEvent {
  readonly subject: string;
  readonly messageId: string;
  readonly payload: string;
  readonly headers: MsgHdrs;
}

export function toBusPayload(event: RecordedEvent): BusEventPayload {
  const m = event.metadata;
  return {
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      eventId: m.eventId,
      streamId: m.streamId,
      version: m.version,
      position: m.position.toString(),
      recordedAt: m.recordedAt.toISOString(),
      ...(m.correlationId !== undefined && { correlationId: m.correlationId }),
      ...(m.causationId !== undefined && { causationId: m.causationId }),
      ...(m.idempotencyKey !== undefined && { idempotencyKey: m.idempotencyKey }),
      ...(m.extra !== undefined && { extra: m.extra }),
    },
  };
}

/** Subject, de-duplication id, headers and JSON body of one recorded event of `shard`. */
export function encodeEvent(shard: number, event: RecordedEvent, subjectPrefix?: string): EncodedEvent {
  const m = event.metadata;
  const messageId = eventMessageId(shard, m.position);
  const h = natsHeaders();
  h.set(EventHeaders.EventId, m.eventId);
  h.set(EventHeaders.EventType, event.type);
  h.set(EventHeaders.StreamId, m.streamId);
  h.set(EventHeaders.Version, String(m.version));
  h.set(EventHeaders.Position, m.position.toString());
  h.set(EventHeaders.Shard, String(shard));
  h.set(EventHeaders.RecordedAt, m.recordedAt.toISOString());
  if (m.correlationId !== undefined) h.set(EventHeaders.CorrelationId, m.correlationId);
  if (m.causationId !== undefined) h.set(EventHeaders.CausationId, m.causationId);
  h.set(EventHeaders.ContentType, 'application/json');
  return { subject: eventSubject(shard, m.streamId, event.type, subjectPrefix), messageId, payload: JSON.stringify(toBusPayload(event)), headers: h };
}

/** Where and how often a consumer got an event (from JetStream, not from the event). */
export interface EventDelivery {
  /** The shard whose log the event comes from. */
  readonly shard: number;
  readonly subject: string;
  /** `<shard>:<position>`, the de-duplication id. */
  readonly messageId: string;
  /** The message's sequence in the JetStream stream. */
  readonly streamSequence: number;
  /** 1 on the first delivery; more after a nak, an ack timeout or a consumer restart before the ack. */
  readonly deliveryCount: number;
  readonly redelivered: boolean;
}

/** An event as a consumer's handler gets it: the recorded event (positions as bigint again) plus its delivery. */
export type DeliveredEvent<E extends Event = Event> = RecordedEvent<E> & { readonly delivery: EventDelivery };

/** A message that is not an event of this bus (bad JSON, missing fields): never retried. */
export class MalformedEventError extends Error {
  readonly code = 'MALFORMED_EVENT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedEventError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new MalformedEventError(`metadata.${field} is not a string`);
  return value;
};

/** The recorded event back from a payload; throws MalformedEventError when it is not one. */
export function fromBusPayload<E extends Event = Event>(payload: unknown): RecordedEvent<E> {
  if (!isRecord(payload)) throw new MalformedEventError('the payload is not a JSON object');
  const { type, data, metadata } = payload;
  if (typeof type !== 'string' || type === '') throw new MalformedEventError('type is missing');
  if (!isRecord(data)) throw new MalformedEventError('data is not an object');
  if (!isRecord(metadata)) throw new MalformedEventError('metadata is missing');
  const { eventId, streamId, version, position, recordedAt } = metadata;
  if (typeof eventId !== 'string' || eventId === '') throw new MalformedEventError('metadata.eventId is missing');
  if (typeof streamId !== 'string' || streamId === '') throw new MalformedEventError('metadata.streamId is missing');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new MalformedEventError('metadata.version is not a positive integer');
  if (typeof position !== 'string' || !/^\d+$/.test(position)) throw new MalformedEventError('metadata.position is not a decimal string');
  if (typeof recordedAt !== 'string' || Number.isNaN(Date.parse(recordedAt))) throw new MalformedEventError('metadata.recordedAt is not a timestamp');
  const correlationId = optionalString(metadata.correlationId, 'correlationId');
  const causationId = optionalString(metadata.causationId, 'causationId');
  const idempotencyKey = optionalString(metadata.idempotencyKey, 'idempotencyKey');
  const recorded: RecordedEventMetadata = {
    eventId,
    streamId,
    version,
    position: BigInt(position),
    recordedAt: new Date(recordedAt),
    ...(correlationId !== undefined && { correlationId }),
    ...(causationId !== undefined && { causationId }),
    ...(idempotencyKey !== undefined && { idempotencyKey }),
    ...(isRecord(metadata.extra) && { extra: metadata.extra }),
  };
  return { type, data, metadata: recorded } as unknown as RecordedEvent<E>;
}

/** The parts of a JetStream message decoding needs (JsMsg has them). */
export interface EventMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers?: MsgHdrs | undefined;
  readonly redelivered: boolean;
  readonly info: { readonly streamSequence: number; readonly deliveryCount: number };
}

const SHARD_TOKEN = /^[^.]+\.(\d+)\./;

/** Decodes a delivered message; throws MalformedEventError when it is not an event of this bus. */
export function decodeEventMessage<E extends Event = Event>(message: EventMessage): DeliveredEvent<E> {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(message.data));
  } catch (cause) {
    throw new MalformedEventError('the payload is not JSON', { cause });
  }
  const event = fromBusPayload<E>(payload);
  const shardHeader = message.headers?.get(EventHeaders.Shard);
  const shardText = shardHeader !== undefined && shardHeader !== '' ? shardHeader : SHARD_TOKEN.exec(message.subject)?.[1];
  if (shardText === undefined || !/^\d+$/.test(shardText)) throw new MalformedEventError(`no shard in the headers or in the subject ${message.subject}`);
  const shard = Number(shardText);
  const delivery: EventDelivery = {
    shard,
    subject: message.subject,
    messageId: message.headers?.get('Nats-Msg-Id') || eventMessageId(shard, event.metadata.position),
    streamSequence: message.info.streamSequence,
    deliveryCount: message.info.deliveryCount,
    redelivered: message.redelivered,
  };
  return Object.assign(event, { delivery }) as DeliveredEvent<E>;
}
