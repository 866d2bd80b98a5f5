import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#libs/event-store';
import { deferred, waitUntil } from './support/concurrency.js';
import { useTestDatabase } from './support/test-database.js';
import { incremented, newStreamId, started, type CounterEvent } from './support/test-events.js';

const db = useTestDatabase('es_subscribe');

/**
 * A handler that records the events of streams made with `newStreamId(prefix)` and resolves `reached(n)` when
 * it has seen n of them. (A head read at a test's start may lag a moment behind an earlier test's events.)
 */
function collector(prefix: string) {
  const events: RecordedEvent<CounterEvent>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    events,
    handler: (event: RecordedEvent<CounterEvent>): void => {
      if (!event.metadata.streamId.startsWith(`${prefix}-`)) return;
      events.push(event);
      for (const waiter of waiters) if (events.length >= waiter.count) waiter.resolve();
    },
    reached(count: number): Promise<void> {
      if (events.length >= count) return Promise.resolve();
      const done = deferred();
      waiters.push({ count, resolve: done.resolve });
      return done.promise;
    },
  };
}

describe('subscribe', () => {
  it('delivers every event after the position, in order, while two stores (two pools) append', async () => {
    const subscriber = await db.store<CounterEvent>('sub-order');
    const writers = [subscriber, await db.store<CounterEvent>('sub-order-writer', { poolSize: 4 })];
    const from = await subscriber.readHeadPosition();
    const seen = collector('s');
    const subscription = subscriber.subscribe(from, seen.handler, { batchSize: 5, pollIntervalMs: 100 });

    const streams = [newStreamId('s'), newStreamId('s'), newStreamId('s')];
    await Promise.all(
      streams.map(async (stream, i) => {
        for (let v = 0; v < 10; v++) await writers[(i + v) % 2]!.appendToStream(stream, [v === 0 ? started() : incremented(v)], { expectedVersion: v });
      }),
    );
    await seen.reached(30);
    const end = await subscription.stop();

    const positions = seen.events.map((e) => e.metadata.position);
    for (let i = 1; i < positions.length; i++) expect(positions[i]! > positions[i - 1]!).toBe(true);
    expect(seen.events).toHaveLength(30);
    for (const stream of streams) {
      expect(seen.events.filter((e) => e.metadata.streamId === stream).map((e) => e.metadata.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    expect(end).toEqual({ position: positions.at(-1) });
    expect(subscription.position).toBe(positions.at(-1));
  });

  it('resumes from a position: a second subscription from where the first stopped gets exactly the rest', async () => {
    const store = await db.store<CounterEvent>('sub-resume');
    const from = await store.readHeadPosition();
    const stream = newStreamId('r');
    await store.appendToStream(stream, [started(), ...Array.from({ length: 9 }, (_, i) => incremented(i + 1))], { expectedVersion: 'no_stream' });

    const first: RecordedEvent<CounterEvent>[] = [];
    const fourHandled = deferred();
    const one = store.subscribe(from, (event) => {
      if (event.metadata.streamId !== stream) return;
      first.push(event);
      if (first.length === 4) {
        fourHandled.resolve();
        void one.stop(); // not awaited: stop() waits for this handler to return
      }
    });
    await fourHandled.promise;
    const end = await one.done;
    expect(first.map((e) => e.metadata.version)).toEqual([1, 2, 3, 4]);
    expect(end.position).toBe(first[3]!.metadata.position);

    const rest = collector('r');
    const two = store.subscribe(end.position, rest.handler);
    await store.appendToStream(stream, [incremented(10)], { expectedVersion: 10 });
    await rest.reached(7);
    await two.stop();
    expect(rest.events.map((e) => e.metadata.version)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(first).toHaveLength(4); // the stopped one handled nothing more
  });

  it('wakes on an append in another process (NOTIFY) long before its poll interval', async () => {
    const subscriber = await db.store<CounterEvent>('sub-notify');
    const writer = await db.store<CounterEvent>('sub-notify-writer');
    const seen = collector('n');
    const from = await subscriber.readHeadPosition();
    // A poll interval longer than the test's timeout: only a wake-up can deliver in time.
    const subscription = subscriber.subscribe(from, seen.handler, { pollIntervalMs: 120_000 });
    const observer = await db.dataSource('sub-notify-observer', 1);
    await waitUntil(async () => {
      const rows = (await observer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'sub-notify' AND query ILIKE 'LISTEN%'`)) as { n: number }[];
      return rows[0]!.n > 0;
    }, 'the subscriber to LISTEN');

    for (let i = 0; i < 3; i++) {
      await writer.appendToStream(newStreamId('n'), [started()], { expectedVersion: 'no_stream' });
      await seen.reached(i + 1);
    }
    await subscription.stop();
  }, 20_000);

  it('wakes on an append through the same store at once', async () => {
    const store = await db.store<CounterEvent>('sub-local', { notify: false });
    const seen = collector('l');
    const subscription = store.subscribe(await store.readHeadPosition(), seen.handler, { pollIntervalMs: 120_000 });
    await store.appendToStream(newStreamId('l'), [started()], { expectedVersion: 'no_stream' });
    await seen.reached(1);
    await store.transaction((tx) => tx.appendToStream(newStreamId('l'), [started()], { expectedVersion: 'no_stream' }));
    await seen.reached(2);
    await subscription.stop();
  }, 20_000);

  it('ends with the handler’s error and the last good position when the handler throws', async () => {
    const store = await db.store<CounterEvent>('sub-error');
    const from = await store.readHeadPosition();
    const stream = newStreamId('e');
    const appended = await store.appendToStream(stream, [started(), incremented(1), incremented(2)], { expectedVersion: 'no_stream' });
    const handled: number[] = [];
    const subscription = store.subscribe(from, (event) => {
      if (event.metadata.streamId !== stream) return;
      if (event.metadata.version === 3) throw new Error('projection failed');
      handled.push(event.metadata.version);
    });
    const end = await subscription.done;
    expect(handled).toEqual([1, 2]);
    expect((end.error as Error).message).toBe('projection failed');
    expect(end.position).toBe(appended.lastPosition - 1n);
  });

  it('stops when its abort signal fires, and store.close() stops the rest', async () => {
    const store = await db.store<CounterEvent>('sub-abort');
    const controller = new AbortController();
    const aborted = store.subscribe(await store.readHeadPosition(), () => undefined, { signal: controller.signal, pollIntervalMs: 120_000 });
    const other = store.subscribe(await store.readHeadPosition(), () => undefined, { pollIntervalMs: 120_000 });
    controller.abort();
    await expect(aborted.done).resolves.toEqual({ position: aborted.position });
    await store.close();
    await expect(other.done).resolves.toEqual({ position: other.position });
  }, 10_000);
});
