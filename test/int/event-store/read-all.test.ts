import { describe, expect, it } from '@jest/globals';
import { START_POSITION, isAppendOrderConflictError, isEventStoreValidationError, isExpectedVersionConflictError, type RecordedEvent } from '#libs/event-store';
import { deferred, waitUntil } from './support/concurrency.js';
import { useTestDatabase } from './support/test-database.js';
import { incremented, newStreamId, started, type CounterEvent } from './support/test-events.js';

const db = useTestDatabase('es_read_all');

type Page = { events: readonly RecordedEvent<CounterEvent>[]; nextPosition: bigint };

/**
 * Reads from `from` until the reader has passed `target` (an appended position). An event becomes readable
 * once every transaction that took its id earlier has ended — appends that returned are not enough, a
 * store's NOTIFY transaction may be in flight — so an empty page is no proof of the end: keep reading.
 */
async function readUntil(read: (from: bigint) => Promise<Page>, from: bigint, target: bigint) {
  const events: RecordedEvent<CounterEvent>[] = [];
  let position = from;
  await waitUntil(async () => {
    for (let page = await read(position); page.events.length > 0; page = await read(position)) {
      events.push(...page.events);
      position = page.nextPosition;
    }
    return position >= target;
  }, `the reader to reach position ${target}`);
  return { events, position };
}

describe('readAll', () => {
  it('pages through the log in position order', async () => {
    const store = await db.store<CounterEvent>('read-pages');
    const from = await store.readHeadPosition();
    const streams = [newStreamId('p'), newStreamId('p')];
    let last = 0n;
    for (let i = 0; i < 5; i++) {
      for (const s of streams) last = (await store.appendToStream(s, [i === 0 ? started() : incremented(i)], { expectedVersion: i })).lastPosition;
    }

    const first = await store.readAll({ fromPosition: from, limit: 4 });
    expect(first.events).toHaveLength(4);
    expect(first.hasMore).toBe(true);
    expect(first.nextPosition).toBe(first.events.at(-1)!.metadata.position);
    const all = await readUntil((p) => store.readAll({ fromPosition: p, limit: 4 }), from, last);
    // The head read at the start may lag behind earlier tests' last events by a moment: count only ours.
    const ours = all.events.filter((e) => streams.includes(e.metadata.streamId));
    expect(ours).toHaveLength(10);
    const positions = ours.map((e) => e.metadata.position);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(new Set(positions).size).toBe(10);
    expect(positions.at(-1)).toBe(last);
    expect(await store.readHeadPosition()).toBeGreaterThanOrEqual(last);
    const end = await store.readAll({ fromPosition: all.position, limit: 4 });
    expect(end).toEqual({ events: [], nextPosition: all.position, hasMore: false });
  });

  it('refuses a negative position and a bad limit', async () => {
    const store = await db.store<CounterEvent>('read-invalid');
    for (const options of [{ fromPosition: -1n }, { fromPosition: START_POSITION, limit: 0 }, { fromPosition: 1 as unknown as bigint }]) {
      const error = await store.readAll(options).catch((e: unknown) => e);
      expect(isEventStoreValidationError(error)).toBe(true);
    }
  });

  it('does not read past an append that is still in flight, so committing out of order skips nothing', async () => {
    const storeA = await db.store<CounterEvent>('read-guard-a');
    const storeB = await db.store<CounterEvent>('read-guard-b');
    const reader = await db.store<CounterEvent>('read-guard-reader');
    const checkpoint = await reader.readHeadPosition();
    const [streamA, streamB] = [newStreamId('a'), newStreamId('b')];
    const release = deferred();
    const appendedInA = deferred<bigint>();

    // A appends first (and so is numbered first) but commits last.
    const a = storeA.transaction(async (tx) => {
      const result = await tx.appendToStream(streamA, [started('a')], { expectedVersion: 'no_stream' });
      appendedInA.resolve(result.lastPosition);
      await release.promise;
    });
    const positionA = await appendedInA.promise;
    const b = await storeB.appendToStream(streamB, [started('b')], { expectedVersion: 'no_stream' });
    const positionB = b.lastPosition;
    expect(b.lastPosition).toBeGreaterThan(positionA);

    // B is committed and visible to a stream read, but a reader of the whole log must not pass A yet:
    // had it returned B, its checkpoint would be past A and A would never be delivered.
    expect((await reader.readStream(streamB)).events).toHaveLength(1);
    const whileAOpen = await reader.readAll({ fromPosition: checkpoint });
    expect(whileAOpen.events.map((e) => e.metadata.streamId)).not.toContain(streamB);
    expect(whileAOpen.events.every((e) => e.metadata.position < positionA)).toBe(true);
    expect(await reader.readHeadPosition()).toBeLessThan(positionA);

    release.resolve();
    await a;
    const afterCommit = await readUntil((p) => reader.readAll({ fromPosition: p }), whileAOpen.nextPosition, positionB);
    expect(afterCommit.events.map((e) => e.metadata.streamId).filter((s) => s === streamA || s === streamB)).toEqual([streamA, streamB]);
  });

  it('a reader polling while many writers commit out of order sees every event exactly once, in order', async () => {
    const writers = await Promise.all(Array.from({ length: 3 }, (_, i) => db.store<CounterEvent>(`read-writer-${i}`, { poolSize: 3 })));
    const reader = await db.store<CounterEvent>('read-poller', { poolSize: 1 });
    const start = await reader.readHeadPosition();
    const streams = Array.from({ length: 16 }, () => newStreamId('w'));
    /** Every position that committed, from the append results (the truth the reader is checked against). */
    const committed: bigint[] = [];

    let writing = true;
    let aborted = 0;
    const write = async (writer: number): Promise<void> => {
      const store = writers[writer % writers.length]!;
      for (let i = 0; i < 25; i++) {
        const stream = streams[(writer + i) % streams.length]!;
        // Transactions of different lengths, so their commit order differs from their numbering order.
        const results = await store
          .transaction(async (tx) => {
            const appends = [await tx.appendToStream(stream, [incremented(writer), incremented(i)], { expectedVersion: 'any' })];
            await tx.readHeadPosition();
            if ((writer + i) % 3 === 0) appends.push(await tx.appendToStream(streams[(writer + i + 1) % streams.length]!, [incremented(-1)], { expectedVersion: 'any' }));
            return appends;
          })
          .catch((error: unknown) => {
            // Inside a transaction nothing is retried: a lost race for a version, or a second stream moved on by a
            // younger transaction, aborts it — rolled-back appends are one more kind of disorder for the reader.
            if (!isExpectedVersionConflictError(error) && !isAppendOrderConflictError(error)) throw error;
            aborted++;
            return [];
          });
        for (const { firstPosition, lastPosition } of results) for (let p = firstPosition; p <= lastPosition; p++) committed.push(p);
      }
    };
    const seen: RecordedEvent<CounterEvent>[] = [];
    const poll = async (): Promise<void> => {
      let position = start;
      for (;;) {
        const done = !writing && position >= committed.reduce((max, p) => (p > max ? p : max), 0n);
        if (done) return;
        const page = await reader.readAll({ fromPosition: position, limit: 7 });
        seen.push(...page.events);
        position = page.nextPosition;
      }
    };
    const polling = poll();
    await Promise.all(Array.from({ length: 8 }, (_, w) => write(w)));
    writing = false;
    await polling;

    expect(committed.length).toBeGreaterThan(200);
    expect(aborted).toBeLessThan(150); // most of the 200 transactions committed
    const expected = [...committed].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    expect(seen.filter((e) => streams.includes(e.metadata.streamId)).map((e) => e.metadata.position)).toEqual(expected);
    // Exactly once, nothing missing, in strictly increasing positions.
    expect(new Set(seen.map((e) => e.metadata.eventId)).size).toBe(seen.length);
    const positions = seen.map((e) => e.metadata.position);
    for (let i = 1; i < positions.length; i++) expect(positions[i]! > positions[i - 1]!).toBe(true);
    // Within a stream, versions rise with positions.
    const lastVersion = new Map<string, number>();
    for (const event of seen) {
      expect(event.metadata.version).toBe((lastVersion.get(event.metadata.streamId) ?? 0) + 1);
      lastVersion.set(event.metadata.streamId, event.metadata.version);
    }
  }, 60_000);
});
