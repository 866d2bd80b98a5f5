import { describe, expect, it } from '@jest/globals';
import { MAX_EVENTS_PER_APPEND, validateAppend, type AppendOptions } from './append-options.js';
import type { Event } from './event.js';
import { isEventStoreValidationError, type EventStoreValidationError } from './event-store.errors.js';

const ids = (): (() => string) => {
  let n = 0;
  return () => `id-${++n}`;
};
const event = (type = 'Happened', data: object = { a: 1 }): Event => ({ type, data }) as Event;

function refusal(streamId: string, events: readonly Event[], options: AppendOptions): EventStoreValidationError {
  try {
    validateAppend(streamId, events, options, ids());
  } catch (error) {
    if (isEventStoreValidationError(error)) return error;
    throw error;
  }
  throw new Error('the append was accepted');
}

describe('validateAppend', () => {
  it('shapes the events as one JSON array with their ids and the shared metadata', () => {
    const { eventsJson } = validateAppend('s-1', [event('A'), event('B', { b: [1] })], { expectedVersion: 'any', correlationId: 'c', metadata: { who: 'me' } }, ids());
    expect(JSON.parse(eventsJson)).toEqual([
      { type: 'A', data: { a: 1 }, eventId: 'id-1', metadata: { correlationId: 'c', extra: { who: 'me' } } },
      { type: 'B', data: { b: [1] }, eventId: 'id-2', metadata: { correlationId: 'c', extra: { who: 'me' } } },
    ]);
  });

  it.each<[string, string, readonly Event[], AppendOptions, string]>([
    ['no events', 's', [], { expectedVersion: 'any' }, 'events'],
    ['an empty stream id', '', [event()], { expectedVersion: 'any' }, 'streamId'],
    ['an empty type', 's', [event('')], { expectedVersion: 'any' }, 'events.0.type'],
    ['data that is not an object', 's', [{ type: 'A', data: 'text' } as unknown as Event], { expectedVersion: 'any' }, 'events.0.data'],
    ['a negative version', 's', [event()], { expectedVersion: -1 }, 'options.expectedVersion'],
    ['an unknown option', 's', [event()], { expectedVersion: 'any', expected: 1 } as unknown as AppendOptions, 'options'],
    ['an empty idempotency key', 's', [event()], { expectedVersion: 'any', idempotencyKey: '' }, 'options.idempotencyKey'],
  ])('refuses %s, naming the field', (_, streamId, events, options, path) => {
    const error = refusal(streamId, events, options);
    expect(error.issues.map((i) => i.path)).toContain(path);
    expect(error.message).toContain(path);
  });

  it(`refuses more than ${MAX_EVENTS_PER_APPEND} events in one append`, () => {
    const events = Array.from({ length: MAX_EVENTS_PER_APPEND + 1 }, () => event());
    expect(refusal('s', events, { expectedVersion: 'any' }).issues[0]?.path).toBe('events');
  });

  it('refuses data JSON cannot carry, keeping the cause', () => {
    const error = refusal('s', [event('A', { n: 1n })], { expectedVersion: 'any' });
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});
