import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  ExpectedVersionConflictError,
  PostgresEventStore,
  ensureEventStoreSchema,
  isAppendOrderConflictError,
  isEventStoreSchemaMissingError,
  isEventStoreValidationError,
  isExpectedVersionConflictError,
  type ExpectedVersion,
} from '#libs/event-store';
import { deferred, settle, waitForLockWait } from './support/concurrency.js';
import { useTestDatabase } from './support/test-database.js';
import { incremented, newStreamId, started, type CounterEvent } from './support/test-events.js';

const db = useTestDatabase('es_append');

async function conflictOf(promise: Promise<unknown>): Promise<ExpectedVersionConflictError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isExpectedVersionConflictError(error)) throw new Error(`expected an ExpectedVersionConflictError, got ${String(error)}`);
  return error;
}

describe('appendToStream: expected versions', () => {
  it('numbers a new stream from 1 and returns the next expected version and positions', async () => {
    const store = await db.store<CounterEvent>('append-basic');
    const streamId = newStreamId();
    const first = await store.appendToStream(streamId, [started(), incremented(2)], { expectedVersion: 'no_stream' });
    expect(first).toMatchObject({ nextExpectedVersion: 2, idempotentReplay: false });
    expect(first.lastPosition - first.firstPosition).toBe(1n);

    const second = await store.appendToStream(streamId, [incremented(3)], { expectedVersion: 2 });
    expect(second.nextExpectedVersion).toBe(3);
    expect(second.firstPosition).toBeGreaterThan(first.lastPosition);

    const read = await store.readStream(streamId);
    expect(read).toMatchObject({ streamId, currentVersion: 3, streamExists: true });
    expect(read.events.map((e) => [e.type, e.metadata.version, e.metadata.position])).toEqual([
      ['CounterStarted', 1, first.firstPosition],
      ['CounterIncremented', 2, first.lastPosition],
      ['CounterIncremented', 3, second.lastPosition],
    ]);
    const [firstEvent] = read.events;
    // The union narrows on type: data is CounterStarted's.
    if (firstEvent?.type === 'CounterStarted') expect(firstEvent.data.name).toBe('c');
    else throw new Error('first event should be CounterStarted');
  });

  it("'no_stream' (and 0) refuses a stream that has events, with expected and actual in the error", async () => {
    const store = await db.store<CounterEvent>('append-no-stream');
    const streamId = newStreamId();
    await store.appendToStream(streamId, [started()], { expectedVersion: 0 });
    for (const expectedVersion of ['no_stream', 0] as const) {
      const conflict = await conflictOf(store.appendToStream(streamId, [started()], { expectedVersion }));
      expect(conflict).toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', streamId, expected: expectedVersion, actual: 1 });
    }
    expect((await store.readStream(streamId)).currentVersion).toBe(1);
  });

  it("'stream_exists' refuses an empty stream and appends after whatever an existing one has", async () => {
    const store = await db.store<CounterEvent>('append-exists');
    const streamId = newStreamId();
    const conflict = await conflictOf(store.appendToStream(streamId, [incremented()], { expectedVersion: 'stream_exists' }));
    expect(conflict).toMatchObject({ expected: 'stream_exists', actual: 0 });
    expect((await store.readStream(streamId)).streamExists).toBe(false);

    await store.appendToStream(streamId, [started(), incremented()], { expectedVersion: 'no_stream' });
    const result = await store.appendToStream(streamId, [incremented()], { expectedVersion: 'stream_exists' });
    expect(result.nextExpectedVersion).toBe(3);
  });

  it('an exact version must be the current one: stale and future versions conflict', async () => {
    const store = await db.store<CounterEvent>('append-exact');
    const streamId = newStreamId();
    await store.appendToStream(streamId, [started(), incremented()], { expectedVersion: 'no_stream' });
    for (const expectedVersion of [1, 3]) {
      const conflict = await conflictOf(store.appendToStream(streamId, [incremented()], { expectedVersion }));
      expect(conflict).toMatchObject({ expected: expectedVersion, actual: 2 });
      expect(conflict.message).toContain(`expected version ${expectedVersion}`);
    }
    await expect(store.appendToStream(streamId, [incremented()], { expectedVersion: 2 })).resolves.toMatchObject({ nextExpectedVersion: 3 });
  });

  it("'any' appends after whatever is there, also to a new stream", async () => {
    const store = await db.store<CounterEvent>('append-any');
    const streamId = newStreamId();
    expect((await store.appendToStream(streamId, [started()], { expectedVersion: 'any' })).nextExpectedVersion).toBe(1);
    expect((await store.appendToStream(streamId, [incremented(), incremented()], { expectedVersion: 'any' })).nextExpectedVersion).toBe(3);
  });

  it('records the metadata: event ids, correlation and causation ids, idempotency key, time, extra', async () => {
    const store = await db.store<CounterEvent>('append-metadata');
    const streamId = newStreamId();
    const before = Date.now();
    await store.appendToStream(streamId, [started(), incremented()], {
      expectedVersion: 'no_stream',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      idempotencyKey: `key-${randomUUID()}`,
      metadata: { userAgent: 'test' },
    });
    const { events } = await store.readStream(streamId);
    const ids = new Set(events.map((e) => e.metadata.eventId));
    expect(ids.size).toBe(2);
    for (const event of events) {
      expect(event.metadata.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(event.metadata).toMatchObject({ streamId, correlationId: 'corr-1', causationId: 'cause-1', extra: { userAgent: 'test' } });
      expect(event.metadata.idempotencyKey).toMatch(/^key-/);
      expect(event.metadata.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    }
  });

  it('readStream from a version, with a count, and of a stream that does not exist', async () => {
    const store = await db.store<CounterEvent>('append-read');
    const streamId = newStreamId();
    await store.appendToStream(streamId, [started(), incremented(1), incremented(2), incremented(3)], { expectedVersion: 'no_stream' });
    const tail = await store.readStream(streamId, { fromVersion: 3 });
    expect(tail.events.map((e) => e.metadata.version)).toEqual([3, 4]);
    expect(tail.currentVersion).toBe(4);
    const window = await store.readStream(streamId, { fromVersion: 2, maxCount: 1 });
    expect(window.events.map((e) => e.metadata.version)).toEqual([2]);
    expect(window.currentVersion).toBe(4);
    expect(await store.readStream(newStreamId('missing'))).toMatchObject({ events: [], currentVersion: 0, streamExists: false });
    const past = await store.readStream(streamId, { fromVersion: 9 });
    expect(past).toMatchObject({ events: [], currentVersion: 4 });
  });

  it('refuses invalid appends before they reach the database', async () => {
    const store = await db.store<CounterEvent>('append-invalid');
    const streamId = newStreamId();
    const invalid: [CounterEvent[], ExpectedVersion][] = [
      [[], 'any'],
      [[started()], -1],
      [[started()], 1.5],
      [[{ type: '', data: { name: 'x' } } as unknown as CounterEvent], 'any'],
      [[{ type: 'CounterStarted', data: null } as unknown as CounterEvent], 'any'],
    ];
    for (const [events, expectedVersion] of invalid) {
      const error = await store.appendToStream(streamId, events, { expectedVersion }).catch((e: unknown) => e);
      expect(isEventStoreValidationError(error)).toBe(true);
    }
    expect((await store.readStream(streamId)).streamExists).toBe(false);
  });
});

describe('appendToStream: concurrent appends', () => {
  it('two appends at the same version, the second while the first is uncommitted: the first wins, the second gets the typed conflict', async () => {
    const storeA = await db.store<CounterEvent>('race-a');
    const storeB = await db.store<CounterEvent>('race-b');
    const observer = await db.dataSource('race-observer', 1);
    const streamId = newStreamId();
    const release = deferred();
    const appendedInA = deferred();

    const a = storeA.transaction(async (tx) => {
      await tx.appendToStream(streamId, [started('a')], { expectedVersion: 'no_stream' });
      appendedInA.resolve();
      await release.promise;
    });
    await appendedInA.promise;
    // B reads version 0 (A is not committed), then its insert of version 1 waits on A's row.
    const b = storeB.appendToStream(streamId, [started('b')], { expectedVersion: 'no_stream' });
    await waitForLockWait(observer, 'race-b');
    release.resolve();
    await a;

    const conflict = await conflictOf(b);
    expect(conflict).toMatchObject({ streamId, expected: 'no_stream', actual: 1 });
    const { events } = await storeA.readStream(streamId);
    expect(events.map((e) => e.data)).toEqual([{ name: 'a' }]);
  });

  it('16 concurrent appends at one version on two pools: exactly one wins per stream, the rest conflict', async () => {
    const stores = [await db.store<CounterEvent>('burst-1', { poolSize: 8 }), await db.store<CounterEvent>('burst-2', { poolSize: 8 })];
    for (let round = 0; round < 10; round++) {
      const streamId = newStreamId('burst');
      await stores[0]!.appendToStream(streamId, [started()], { expectedVersion: 'no_stream' });
      const attempts = Array.from({ length: 16 }, (_, i) => stores[i % 2]!.appendToStream(streamId, [incremented(i)], { expectedVersion: 1 }));
      const { fulfilled, rejected } = await settle(attempts);
      expect(fulfilled).toHaveLength(1);
      expect(fulfilled[0]!.nextExpectedVersion).toBe(2);
      expect(rejected).toHaveLength(15);
      for (const error of rejected) expect(error).toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', expected: 1, actual: 2 });
      expect((await stores[1]!.readStream(streamId)).events.map((e) => e.metadata.version)).toEqual([1, 2]);
    }
  });

  it("16 concurrent 'any' appends to one stream all land, at dense versions", async () => {
    const stores = [await db.store<CounterEvent>('any-1', { poolSize: 8 }), await db.store<CounterEvent>('any-2', { poolSize: 8 })];
    const streamId = newStreamId('any');
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => stores[i % 2]!.appendToStream(streamId, [incremented(i)], { expectedVersion: 'any' })));
    expect(results.map((r) => r.nextExpectedVersion).sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const { events } = await stores[0]!.readStream(streamId);
    expect(events.map((e) => e.metadata.version)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => (e.data as { by: number }).by)).size).toBe(16);
  });

  it('an append inside a transaction that took its id before the stream moved is refused (it would land before the older events)', async () => {
    const store = await db.store<CounterEvent>('order');
    const other = await db.store<CounterEvent>('order-other');
    const streamId = newStreamId('order');
    await store.appendToStream(streamId, [started()], { expectedVersion: 'no_stream' });
    const error = await store
      .transaction(async (tx) => {
        // The transaction takes its id here…
        await tx.appendToStream(newStreamId('elsewhere'), [started()], { expectedVersion: 'no_stream' });
        // …then a younger transaction appends to the stream and commits…
        await other.appendToStream(streamId, [incremented()], { expectedVersion: 1 });
        // …so appending after it from this older transaction would break the stream's order in readAll.
        await tx.appendToStream(streamId, [incremented()], { expectedVersion: 2 });
      })
      .catch((e: unknown) => e);
    expect(isAppendOrderConflictError(error)).toBe(true);
    expect((await store.readStream(streamId)).currentVersion).toBe(2);
  });

  it('appends in one transaction commit together, or not at all', async () => {
    const store = await db.store<CounterEvent>('tx');
    const [s1, s2] = [newStreamId('tx'), newStreamId('tx')];
    await store.transaction(async (tx) => {
      await tx.appendToStream(s1, [started()], { expectedVersion: 'no_stream' });
      await tx.appendToStream(s2, [started()], { expectedVersion: 'no_stream' });
      await tx.appendToStream(s1, [incremented()], { expectedVersion: 1 });
    });
    expect((await store.readStream(s1)).currentVersion).toBe(2);
    const [s3, s4] = [newStreamId('tx'), newStreamId('tx')];
    await expect(
      store.transaction(async (tx) => {
        await tx.appendToStream(s3, [started()], { expectedVersion: 'no_stream' });
        await tx.appendToStream(s4, [started()], { expectedVersion: 5 });
      }),
    ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
    expect((await store.readStream(s3)).streamExists).toBe(false);
  });
});

describe('schema', () => {
  it('the entities describe exactly the tables the migration creates', async () => {
    const dataSource = await db.dataSource('schema-check', 1);
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    expect(upQueries.map((q) => q.query)).toEqual([]);
  });

  it('a database without the schema fails with a typed error, and ensureEventStoreSchema is safe to race', async () => {
    const admin = await db.dataSource('schema-admin', 1);
    await admin.query('CREATE SCHEMA bare');
    // Every connection of this pool starts with search_path = bare: an empty schema, as a new shard's database.
    const bare = await db.dataSource('bare-schema', 4, { options: '-c search_path=bare' });
    const store = new PostgresEventStore<CounterEvent>(bare, { notify: false });
    const error = await store.appendToStream(newStreamId(), [started()], { expectedVersion: 'any' }).catch((e: unknown) => e);
    expect(isEventStoreSchemaMissingError(error)).toBe(true);

    await Promise.all([ensureEventStoreSchema(bare), ensureEventStoreSchema(bare), ensureEventStoreSchema(bare)]);
    await expect(store.appendToStream(newStreamId(), [started()], { expectedVersion: 'any' })).resolves.toMatchObject({ nextExpectedVersion: 1 });
    const tables = (await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'bare' ORDER BY 1`)) as { table_name: string }[];
    expect(tables.map((t) => t.table_name)).toEqual(['events', 'idempotency_keys']);
  });
});
