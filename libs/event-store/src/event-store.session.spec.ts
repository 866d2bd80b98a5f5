import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import type { Event } from './event.js';
import { EventStoreRepository } from './event-store.repository.js';
import { PostgresEventStoreSession } from './event-store.session.js';
import type { EventRowRecord } from './recorded-event.mapper.js';

type TestEvent = Event<'Noted', { n: number }>;

const row = (version: number, headVersion: number): EventRowRecord & { head_version: number } => ({
  head_version: headVersion,
  position: String(1_000 + version),
  stream_id: 's-1',
  version,
  type: 'Noted',
  data: { n: version },
  metadata: {},
  event_id: `00000000-0000-4000-8000-00000000000${version}`,
  recorded_at: new Date('2026-03-01T12:00:00.000Z'),
});

/** The one row of a read that found no event in range: the head, and NULL event columns. */
const noEvent = (headVersion: number) => ({
  head_version: headVersion,
  ...Object.fromEntries(Object.keys(row(1, 0)).filter((key) => key !== 'head_version').map((key) => [key, null])),
});

/**
 * A database that answers the first statement with `rows` and then has a concurrent append commit (the
 * stream is at version 1 from then on): a second statement of the same read would see it.
 */
function sessionOver(rows: readonly object[]) {
  const statements: string[] = [];
  const manager = {
    query: async (sql: string) => {
      statements.push(sql);
      if (statements.length > 1) return [row(1, 1)];
      return rows;
    },
  } as unknown as EntityManager;
  const session = new PostgresEventStoreSession<TestEvent>(new EventStoreRepository(manager), {
    inTransaction: false,
    onAppended: () => undefined,
    newEventId: () => '00000000-0000-4000-8000-000000000000',
    maxVersionAgnosticRetries: 10,
  });
  return { session, statements };
}

describe('PostgresEventStoreSession.readStream', () => {
  it('takes an empty stream and its version from one statement: a commit right after cannot pair "no events" with version 1', async () => {
    const { session, statements } = sessionOver([noEvent(0)]);
    expect(await session.readStream('s-1')).toEqual({ streamId: 's-1', events: [], currentVersion: 0, streamExists: false });
    expect(statements).toHaveLength(1);
  });

  it('answers the events with the version of the same snapshot', async () => {
    const { session, statements } = sessionOver([row(1, 2), row(2, 2)]);
    const read = await session.readStream('s-1');
    expect(read.events.map((event) => [event.metadata.version, event.metadata.position, event.data])).toEqual([
      [1, 1_001n, { n: 1 }],
      [2, 1_002n, { n: 2 }],
    ]);
    expect(read.currentVersion).toBe(2);
    expect(statements).toHaveLength(1);
  });

  it('gives the head beyond a window, and beyond the end, from that statement too', async () => {
    expect(await sessionOver([row(2, 5)]).session.readStream('s-1', { fromVersion: 2, maxCount: 1 })).toMatchObject({ currentVersion: 5, streamExists: true });
    const past = sessionOver([noEvent(3)]);
    expect(await past.session.readStream('s-1', { fromVersion: 9 })).toMatchObject({ events: [], currentVersion: 3, streamExists: true });
    expect(past.statements).toHaveLength(1);
  });

  it('refuses a maxCount that is not a count', async () => {
    for (const maxCount of [-1, 1.5, Number.NaN]) {
      await expect(sessionOver([]).session.readStream('s-1', { maxCount })).rejects.toMatchObject({ code: 'EVENT_STORE_VALIDATION' });
    }
  });
});
