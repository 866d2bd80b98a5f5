import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#libs/event-store';
import { decodeEventMessage, encodeEvent, fromBusPayload, MalformedEventError, toBusPayload } from './bus-event.js';
import { EventHeaders } from './subjects.js';

const recorded = (overrides: Partial<RecordedEvent['metadata']> = {}): RecordedEvent =>
  ({
    type: 'UserRegistered',
    data: { userId: '42', email: 'a@example.org' },
    metadata: {
      eventId: '0b4e7a52-5b8e-4a55-9d36-3f0d1c2b8a11',
      streamId: 'user-42',
      version: 1,
      position: 2n ** 60n + 3n,
      recordedAt: new Date('2025-01-02T03:04:05.678Z'),
      correlationId: 'req-1',
      ...overrides,
    },
  }) as RecordedEvent;

const asMessage = (encoded: ReturnType<typeof encodeEvent>, deliveryCount = 1) => ({
  subject: encoded.subject,
  data: new TextEncoder().encode(encoded.payload),
  headers: encoded.headers,
  redelivered: deliveryCount > 1,
  info: { streamSequence: 17, deliveryCount },
});

describe('bus events', () => {
  it('encodes subject, dedup id, headers and a JSON body with positions as strings', () => {
    const encoded = encodeEvent(3, recorded());
    expect(encoded.subject).toBe('events.3.user.UserRegistered');
    expect(encoded.messageId).toBe(`3:${2n ** 60n + 3n}`);
    expect(encoded.headers.get(EventHeaders.EventId)).toBe('0b4e7a52-5b8e-4a55-9d36-3f0d1c2b8a11');
    expect(encoded.headers.get(EventHeaders.Position)).toBe('1152921504606846979');
    expect(encoded.headers.get(EventHeaders.Version)).toBe('1');
    expect(encoded.headers.get(EventHeaders.Shard)).toBe('3');
    expect(encoded.headers.get(EventHeaders.CorrelationId)).toBe('req-1');
    expect(encoded.headers.has(EventHeaders.CausationId)).toBe(false);
    expect(JSON.parse(encoded.payload)).toEqual({
      type: 'UserRegistered',
      data: { userId: '42', email: 'a@example.org' },
      metadata: {
        eventId: '0b4e7a52-5b8e-4a55-9d36-3f0d1c2b8a11',
        streamId: 'user-42',
        version: 1,
        position: '1152921504606846979',
        recordedAt: '2025-01-02T03:04:05.678Z',
        correlationId: 'req-1',
      },
    });
  });

  it('decodes back to the recorded event, with bigint positions and the delivery', () => {
    const event = recorded({ causationId: 'c-9', extra: { ip: '127.0.0.1' } });
    const delivered = decodeEventMessage(asMessage(encodeEvent(3, event), 2));
    expect(delivered.type).toBe(event.type);
    expect(delivered.data).toEqual(event.data);
    expect(delivered.metadata).toEqual(event.metadata);
    expect(delivered.delivery).toEqual({
      shard: 3,
      subject: 'events.3.user.UserRegistered',
      messageId: `3:${2n ** 60n + 3n}`,
      streamSequence: 17,
      deliveryCount: 2,
      redelivered: true,
    });
  });

  it('round-trips the payload', () => {
    const event = recorded();
    expect(fromBusPayload(JSON.parse(JSON.stringify(toBusPayload(event))))).toEqual(event);
  });

  it('refuses what is not an event of the bus', () => {
    const good = JSON.parse(encodeEvent(0, recorded()).payload) as { metadata: Record<string, unknown> };
    const bad: unknown[] = [
      null,
      [],
      { ...good, type: '' },
      { ...good, data: 'x' },
      { ...good, metadata: { ...good.metadata, position: 12 } },
      { ...good, metadata: { ...good.metadata, position: '-1' } },
      { ...good, metadata: { ...good.metadata, version: 0 } },
      { ...good, metadata: { ...good.metadata, recordedAt: 'yesterday' } },
      { ...good, metadata: { ...good.metadata, eventId: undefined } },
      { ...good, metadata: { ...good.metadata, correlationId: 5 } },
    ];
    for (const payload of bad) expect(() => fromBusPayload(payload)).toThrow(MalformedEventError);
    expect(() =>
      decodeEventMessage({ subject: 'events.0.user.X', data: new TextEncoder().encode('{nope'), redelivered: false, info: { streamSequence: 1, deliveryCount: 1 } }),
    ).toThrow(MalformedEventError);
  });

  it('takes the shard from the subject when the header is missing', () => {
    const encoded = encodeEvent(5, recorded());
    const delivered = decodeEventMessage({ ...asMessage(encoded), headers: undefined });
    expect(delivered.delivery.shard).toBe(5);
    expect(delivered.delivery.messageId).toBe(encoded.messageId);
  });
});
