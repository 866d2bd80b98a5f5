import type { DataSource } from 'typeorm';
import { PostgresEventStore, type Event } from '#libs/event-store';
import { percentile } from './bench-stats.js';

/**
 * Part (a) of the services benchmark: how many single-event appends with an expected-version check 16
 * concurrent writers get through the event store, against plain single-row INSERTs of the same payload
 * through the same DataSource (TypeORM over pg), same pool, same server, same settings.
 */

export type BenchEvent = Event<'Measured', { writer: number; sequence: number; payload: string }>;

export interface Throughput {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** ~100 bytes of data per row/event, like a small domain event. */
const PAYLOAD = 'x'.repeat(64);

export const PLAIN_TABLE_SQL = `CREATE TABLE IF NOT EXISTS plain_inserts (
  id bigserial PRIMARY KEY,
  stream_id text NOT NULL,
  data jsonb NOT NULL
)`;

/** Runs `operation` in `writers` concurrent loops for `seconds`; each loop gets its writer number and a sequence number. */
async function measure(writers: number, seconds: number, operation: (writer: number, sequence: number) => Promise<void>): Promise<Throughput> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let sequence = 0; performance.now() < deadline; sequence++) {
        const begin = performance.now();
        await operation(writer, sequence);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { operations: latencies.length, seconds: elapsed, perSecond: latencies.length / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Plain INSERTs: one row, one autocommit statement, no checks. */
export function measurePlainInserts(dataSource: DataSource, writers: number, seconds: number, run: string): Promise<Throughput> {
  return measure(writers, seconds, async (writer, sequence) => {
    await dataSource.query('INSERT INTO plain_inserts (stream_id, data) VALUES ($1, $2::jsonb)', [
      `plain-${run}-${writer}-${sequence % 64}`,
      JSON.stringify({ writer, sequence, payload: PAYLOAD }),
    ]);
  });
}

/**
 * Event store appends: each writer owns 64 streams and appends one event at a time to them in turn, each
 * time with the exact version it expects (so every append really checks it), optionally with an idempotency key.
 */
export function measureAppends(store: PostgresEventStore<BenchEvent>, writers: number, seconds: number, run: string, withKeys: boolean): Promise<Throughput> {
  const versions = new Map<string, number>();
  return measure(writers, seconds, async (writer, sequence) => {
    const streamId = `bench-${run}-${writer}-${sequence % 64}`;
    const expectedVersion = versions.get(streamId) ?? 0;
    const result = await store.appendToStream(streamId, [{ type: 'Measured', data: { writer, sequence, payload: PAYLOAD } }], {
      expectedVersion,
      ...(withKeys && { idempotencyKey: `${run}-${writer}-${sequence}` }),
    });
    versions.set(streamId, result.nextExpectedVersion);
  });
}
