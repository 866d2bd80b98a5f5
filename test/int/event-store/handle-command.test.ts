import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { handleCommand, isExpectedVersionConflictError, type Decider } from '#libs/event-store';
import { useTestDatabase } from './support/test-database.js';
import { incremented, newStreamId, started, type CounterEvent } from './support/test-events.js';

const db = useTestDatabase('es_handle_command');

interface Counter {
  readonly name: string | undefined;
  readonly value: number;
}
type CounterCommand = { kind: 'start'; name: string } | { kind: 'increment'; by: number };

class CounterNotStartedError extends Error {}

const counter: Decider<Counter, CounterCommand, CounterEvent> = {
  initialState: () => ({ name: undefined, value: 0 }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CounterStarted':
        return { ...state, name: event.data.name };
      case 'CounterIncremented':
        return { ...state, value: state.value + event.data.by };
    }
  },
  decide: (command, state) => {
    if (command.kind === 'start') return state.name === undefined ? started(command.name) : [];
    if (state.name === undefined) throw new CounterNotStartedError('start the counter first');
    return incremented(command.by);
  },
};

/** The counter decider, with a hook that runs before each decision (to race it). */
const withHook = (beforeDecide: (attempt: number) => Promise<void>) => {
  let attempt = 0;
  const decider: Decider<Counter, CounterCommand, CounterEvent> = {
    ...counter,
    decide: async (command, state) => {
      await beforeDecide(++attempt);
      return counter.decide(command, state);
    },
  };
  return { decider, decisions: () => attempt };
};

describe('handleCommand against Postgres', () => {
  it('reads, folds, decides and appends with the version it read', async () => {
    const store = await db.store<CounterEvent>('cmd-basic');
    const stream = newStreamId('cmd');
    const created = await handleCommand(store, stream, counter, { kind: 'start', name: 'visits' });
    expect(created).toMatchObject({ newState: { name: 'visits', value: 0 }, nextExpectedVersion: 1, attempts: 1, idempotentReplay: false });
    const bumped = await handleCommand(store, stream, counter, { kind: 'increment', by: 5 });
    expect(bumped).toMatchObject({ newState: { name: 'visits', value: 5 }, nextExpectedVersion: 2, newEvents: [incremented(5)] });
    expect(bumped.lastPosition).toBeGreaterThan(created.lastPosition!);
    // Nothing to do: no append, same version.
    const again = await handleCommand(store, stream, counter, { kind: 'start', name: 'visits' });
    expect(again).toMatchObject({ newEvents: [], nextExpectedVersion: 2, lastPosition: bumped.lastPosition });
    // A domain refusal appends nothing.
    await expect(handleCommand(store, newStreamId('cmd'), counter, { kind: 'increment', by: 1 })).rejects.toBeInstanceOf(CounterNotStartedError);
  });

  it('retries on a conflict: a competing append between its read and its append makes it decide again on the new state', async () => {
    const store = await db.store<CounterEvent>('cmd-retry');
    const competitor = await db.store<CounterEvent>('cmd-retry-competitor');
    const stream = newStreamId('cmd');
    await handleCommand(store, stream, counter, { kind: 'start', name: 'c' });
    const { decider, decisions } = withHook(async (attempt) => {
      // Only the first decision is raced: it was made on version 1, the competitor moves the stream to 2.
      if (attempt === 1) await competitor.appendToStream(stream, [incremented(100)], { expectedVersion: 1 });
    });
    const result = await handleCommand(store, stream, decider, { kind: 'increment', by: 1 });
    expect(decisions()).toBe(2);
    expect(result).toMatchObject({ attempts: 2, nextExpectedVersion: 3, newState: { value: 101 } });
    expect((await store.readStream(stream)).events.map((e) => e.data)).toEqual([{ name: 'c' }, { by: 100 }, { by: 1 }]);
  });

  it('gives up after maxRetries with the typed conflict, having appended nothing', async () => {
    const store = await db.store<CounterEvent>('cmd-give-up');
    const competitor = await db.store<CounterEvent>('cmd-give-up-competitor');
    const stream = newStreamId('cmd');
    await handleCommand(store, stream, counter, { kind: 'start', name: 'c' });
    const { decider, decisions } = withHook(async () => {
      await competitor.appendToStream(stream, [incremented(100)], { expectedVersion: 'any' });
    });
    const error = await handleCommand(store, stream, decider, { kind: 'increment', by: 1 }, { maxRetries: 2 }).catch((e: unknown) => e);
    expect(isExpectedVersionConflictError(error)).toBe(true);
    expect(decisions()).toBe(3);
    const { events } = await store.readStream(stream);
    expect(events.filter((e) => e.type === 'CounterIncremented' && e.data.by === 1)).toHaveLength(0);
  });

  it('concurrent commands on one stream from two pools all land, none lost', async () => {
    const stores = [await db.store<CounterEvent>('cmd-burst-1', { poolSize: 6 }), await db.store<CounterEvent>('cmd-burst-2', { poolSize: 6 })];
    const stream = newStreamId('cmd');
    await handleCommand(stores[0]!, stream, counter, { kind: 'start', name: 'c' });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => handleCommand(stores[i % 2]!, stream, counter, { kind: 'increment', by: 1 }, { maxRetries: 50 })),
    );
    expect(results.every((r) => !r.idempotentReplay && r.newEvents.length === 1)).toBe(true);
    const { events, currentVersion } = await stores[0]!.readStream(stream);
    expect(currentVersion).toBe(13);
    expect(events.reduce(counter.evolve, counter.initialState()).value).toBe(12);
  });

  it('a repeated command with its idempotency key is answered from the first result without deciding again', async () => {
    const store = await db.store<CounterEvent>('cmd-idem');
    const stream = newStreamId('cmd');
    await handleCommand(store, stream, counter, { kind: 'start', name: 'c' });
    const key = `cmd-${randomUUID()}`;
    const first = await handleCommand(store, stream, counter, { kind: 'increment', by: 3 }, { idempotencyKey: key, correlationId: 'req-1' });
    await handleCommand(store, stream, counter, { kind: 'increment', by: 10 });

    const { decider, decisions } = withHook(async () => undefined);
    const repeated = await handleCommand(store, stream, decider, { kind: 'increment', by: 3 }, { idempotencyKey: key, correlationId: 'req-1' });
    expect(decisions()).toBe(0);
    expect(repeated).toMatchObject({ idempotentReplay: true, newEvents: [], nextExpectedVersion: first.nextExpectedVersion, lastPosition: first.lastPosition });
    // The state as the first attempt left it, not including the later command.
    expect(repeated.newState).toEqual(first.newState);
    expect((await store.readStream(stream)).events.filter((e) => e.metadata.idempotencyKey === key)).toHaveLength(1);
  });

  it('two copies of one command racing with the same key: one append, both answered with it', async () => {
    const stores = [await db.store<CounterEvent>('cmd-idem-race-1'), await db.store<CounterEvent>('cmd-idem-race-2')];
    const stream = newStreamId('cmd');
    await handleCommand(stores[0]!, stream, counter, { kind: 'start', name: 'c' });
    const key = `cmd-${randomUUID()}`;
    const [a, b] = await Promise.all(stores.map((store) => handleCommand(store, stream, counter, { kind: 'increment', by: 2 }, { idempotencyKey: key })));
    expect([a!.idempotentReplay, b!.idempotentReplay].sort()).toEqual([false, true]);
    expect(a!.lastPosition).toBe(b!.lastPosition);
    expect((await stores[0]!.readStream(stream)).currentVersion).toBe(2);
  });
});
