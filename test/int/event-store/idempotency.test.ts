import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { PostgresEventStore, createEventStoreDataSource, isExpectedVersionConflictError, isIdempotencyKeyReuseError, type AppendResult } from '#libs/event-store';
import { deferred, settle, waitForLockWait } from './support/concurrency.js';
import { startResponseDroppingProxy, type ResponseDroppingProxy } from './support/response-dropping-proxy.js';
import { useTestDatabase } from './support/test-database.js';
import { incremented, newStreamId, started, type CounterEvent } from './support/test-events.js';

const db = useTestDatabase('es_idempotency');
const newKey = (): string => `cmd-${randomUUID()}`;
const sameResult = (result: AppendResult) => ({
  nextExpectedVersion: result.nextExpectedVersion,
  firstPosition: result.firstPosition,
  lastPosition: result.lastPosition,
});

describe('idempotency keys', () => {
  it('a repeated append with the same key appends nothing and returns the first result, even with a stale expected version', async () => {
    const store = await db.store<CounterEvent>('idem-seq');
    const streamId = newStreamId();
    const key = newKey();
    const first = await store.appendToStream(streamId, [started(), incremented()], { expectedVersion: 'no_stream', idempotencyKey: key });
    // The retry carries the same expectation as the first attempt, which the first attempt made false.
    const retry = await store.appendToStream(streamId, [started(), incremented()], { expectedVersion: 'no_stream', idempotencyKey: key });
    expect(first.idempotentReplay).toBe(false);
    expect(retry.idempotentReplay).toBe(true);
    expect(sameResult(retry)).toEqual(sameResult(first));
    expect((await store.readStream(streamId)).currentVersion).toBe(2);
    expect(await store.findIdempotentAppend(key)).toMatchObject({ streamId, ...sameResult(first) });
  });

  describe('when the first attempt’s outcome is unknown to the client', () => {
    let proxy: ResponseDroppingProxy | undefined;
    afterAll(async () => proxy?.close());

    it('the response is lost after the commit; the retry returns the committed result and the stream has the events once', async () => {
      const url = new URL(db.url);
      proxy = await startResponseDroppingProxy({ host: url.hostname, port: Number(url.port) });
      url.port = String(proxy.port);
      const viaProxy = await createEventStoreDataSource({ url: url.toString(), applicationName: 'idem-lost', poolSize: 1 });
      const store = new PostgresEventStore<CounterEvent>(viaProxy, { notify: false });
      const direct = await db.store<CounterEvent>('idem-lost-check');
      const streamId = newStreamId();
      const key = newKey();
      try {
        await store.readStream(streamId); // the pool's connection is open before the proxy is armed
        proxy.dropNextResponse();
        const lost = await store.appendToStream(streamId, [started()], { expectedVersion: 'no_stream', idempotencyKey: key }).catch((e: unknown) => e);
        expect(lost).toBeInstanceOf(Error);
        expect(proxy.dropped).toBe(1);
        // The precondition of this test: the server did commit what the client never heard about.
        const committed = await direct.findIdempotentAppend(key);
        expect(committed).toBeDefined();

        const retry = await store.appendToStream(streamId, [started()], { expectedVersion: 'no_stream', idempotencyKey: key });
        expect(retry).toMatchObject({ idempotentReplay: true, nextExpectedVersion: 1, lastPosition: committed!.lastPosition });
        expect((await direct.readStream(streamId)).events).toHaveLength(1);
      } finally {
        await store.close();
        await viaProxy.destroy();
      }
    });
  });

  it('a duplicate arriving while the first is uncommitted waits for it and returns its result', async () => {
    const storeA = await db.store<CounterEvent>('idem-a');
    const storeB = await db.store<CounterEvent>('idem-b');
    const observer = await db.dataSource('idem-observer', 1);
    const streamId = newStreamId();
    const key = newKey();
    const release = deferred();
    const claimed = deferred();

    const a = storeA.transaction(async (tx) => {
      const result = await tx.appendToStream(streamId, [started('a')], { expectedVersion: 'no_stream', idempotencyKey: key });
      claimed.resolve();
      await release.promise;
      return result;
    });
    await claimed.promise;
    const b = storeB.appendToStream(streamId, [started('b')], { expectedVersion: 'no_stream', idempotencyKey: key });
    await waitForLockWait(observer, 'idem-b');
    release.resolve();

    const [resultA, resultB] = await Promise.all([a, b]);
    expect(resultA.idempotentReplay).toBe(false);
    expect(resultB.idempotentReplay).toBe(true);
    expect(sameResult(resultB)).toEqual(sameResult(resultA));
    expect((await storeA.readStream(streamId)).events.map((e) => e.data)).toEqual([{ name: 'a' }]);
  });

  it('if the first attempt rolls back, the waiting duplicate takes the key and appends', async () => {
    const storeA = await db.store<CounterEvent>('idem-rb-a');
    const storeB = await db.store<CounterEvent>('idem-rb-b');
    const observer = await db.dataSource('idem-rb-observer', 1);
    const streamId = newStreamId();
    const key = newKey();
    const release = deferred();
    const claimed = deferred();

    const a = storeA.transaction(async (tx) => {
      await tx.appendToStream(streamId, [started('a')], { expectedVersion: 'no_stream', idempotencyKey: key });
      claimed.resolve();
      await release.promise;
      throw new Error('the first attempt fails after its append');
    });
    await claimed.promise;
    const b = storeB.appendToStream(streamId, [started('b')], { expectedVersion: 'no_stream', idempotencyKey: key });
    await waitForLockWait(observer, 'idem-rb-b');
    release.resolve();

    await expect(a).rejects.toThrow('the first attempt fails');
    const resultB = await b;
    expect(resultB).toMatchObject({ idempotentReplay: false, nextExpectedVersion: 1 });
    expect((await storeA.readStream(streamId)).events.map((e) => e.data)).toEqual([{ name: 'b' }]);
    expect(await storeA.findIdempotentAppend(key)).toMatchObject({ lastPosition: resultB.lastPosition });
  });

  it('many concurrent duplicates on two pools: one append, and every caller gets its result', async () => {
    const stores = [await db.store<CounterEvent>('idem-burst-1', { poolSize: 8 }), await db.store<CounterEvent>('idem-burst-2', { poolSize: 8 })];
    for (let round = 0; round < 10; round++) {
      const streamId = newStreamId('idem-burst');
      const key = newKey();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => stores[i % 2]!.appendToStream(streamId, [started(), incremented(i)], { expectedVersion: 'no_stream', idempotencyKey: key })),
      );
      expect(results.filter((r) => !r.idempotentReplay)).toHaveLength(1);
      for (const result of results) expect(sameResult(result)).toEqual(sameResult(results[0]!));
      expect((await stores[0]!.readStream(streamId)).currentVersion).toBe(2);
    }
  });

  it('an append refused for its expected version does not use up its key', async () => {
    const store = await db.store<CounterEvent>('idem-conflict');
    const streamId = newStreamId();
    const key = newKey();
    await store.appendToStream(streamId, [started()], { expectedVersion: 'no_stream' });
    const error = await store.appendToStream(streamId, [incremented()], { expectedVersion: 5, idempotencyKey: key }).catch((e: unknown) => e);
    expect(isExpectedVersionConflictError(error)).toBe(true);
    expect(await store.findIdempotentAppend(key)).toBeUndefined();
    await expect(store.appendToStream(streamId, [incremented()], { expectedVersion: 1, idempotencyKey: key })).resolves.toMatchObject({
      idempotentReplay: false,
      nextExpectedVersion: 2,
    });
  });

  it('a key used for another stream is refused with a typed error, and nothing is appended', async () => {
    const store = await db.store<CounterEvent>('idem-reuse');
    const key = newKey();
    const [s1, s2] = [newStreamId(), newStreamId()];
    await store.appendToStream(s1, [started()], { expectedVersion: 'no_stream', idempotencyKey: key });
    const error = await store.appendToStream(s2, [started()], { expectedVersion: 'no_stream', idempotencyKey: key }).catch((e: unknown) => e);
    expect(isIdempotencyKeyReuseError(error)).toBe(true);
    expect(error).toMatchObject({ idempotencyKey: key, originalStreamId: s1, streamId: s2 });
    expect((await store.readStream(s2)).streamExists).toBe(false);
  });

  it('idempotent concurrent appends racing with plain ones still leave exactly one copy', async () => {
    const stores = [await db.store<CounterEvent>('idem-mix-1', { poolSize: 6 }), await db.store<CounterEvent>('idem-mix-2', { poolSize: 6 })];
    const streamId = newStreamId('idem-mix');
    const key = newKey();
    const attempts = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? stores[i % 2]!.appendToStream(streamId, [incremented(100 + i)], { expectedVersion: 'any' })
        : stores[i % 2]!.appendToStream(streamId, [incremented(7)], { expectedVersion: 'any', idempotencyKey: key }),
    );
    const { fulfilled, rejected } = await settle(attempts);
    expect(rejected).toEqual([]);
    const { events } = await stores[0]!.readStream(streamId);
    expect(events.filter((e) => (e.data as { by: number }).by === 7)).toHaveLength(1);
    expect(events).toHaveLength(4 + 1);
    expect(fulfilled.filter((r) => r.idempotentReplay)).toHaveLength(7);
  });
});
