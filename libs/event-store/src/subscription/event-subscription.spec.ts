import { describe, expect, it } from '@jest/globals';
import type { Event } from '../event.js';
import type { RecordedEvent } from '../recorded-event.js';
import { PollingSubscription } from './event-subscription.js';
import { WakeSignal } from './wake-signal.js';

/** A log in memory, read the way the store reads: strictly after a position, up to a limit. */
function memoryLog(positions: number[]) {
  const wake = new WakeSignal();
  const log = positions.map(
    (p) => ({ type: 'E', data: {}, metadata: { position: BigInt(p), eventId: `e${p}`, streamId: 's', version: p, recordedAt: new Date(0) } }) as RecordedEvent<Event>,
  );
  let failNextRead = false;
  return {
    wake,
    append(p: number) {
      log.push({ ...log[0]!, metadata: { ...log[0]!.metadata, position: BigInt(p) } } as RecordedEvent<Event>);
      wake.notify();
    },
    failNextRead: () => (failNextRead = true),
    source: {
      wake,
      beforeIdle: () => undefined,
      readAll: async (after: bigint, limit: number) => {
        if (failNextRead) {
          failNextRead = false;
          throw new Error('connection lost');
        }
        return log.filter((e) => e.metadata.position > after).slice(0, limit);
      },
    },
  };
}

describe('PollingSubscription', () => {
  it('delivers in order across batches, then what is appended later, and stops', async () => {
    const log = memoryLog([1, 2, 3, 4, 5]);
    const seen: bigint[] = [];
    let resolveSeven!: () => void;
    const seven = new Promise<void>((resolve) => (resolveSeven = resolve));
    const subscription = new PollingSubscription(
      log.source,
      1n,
      (event) => {
        seen.push(event.metadata.position);
        if (event.metadata.position === 7n) resolveSeven();
      },
      { batchSize: 2, pollIntervalMs: 60_000 },
    );
    log.append(6);
    log.append(7);
    await seven;
    expect(seen).toEqual([2n, 3n, 4n, 5n, 6n, 7n]);
    await expect(subscription.stop()).resolves.toEqual({ position: 7n });
  });

  it('retries a failed read and reports it', async () => {
    const log = memoryLog([1, 2]);
    log.failNextRead();
    const errors: unknown[] = [];
    const seen: bigint[] = [];
    let resolveBoth!: () => void;
    const both = new Promise<void>((resolve) => (resolveBoth = resolve));
    const subscription = new PollingSubscription(
      log.source,
      0n,
      (event) => {
        if (seen.push(event.metadata.position) === 2) resolveBoth();
      },
      { pollIntervalMs: 5, onReadError: (error) => errors.push(error) },
    );
    await both;
    await subscription.stop();
    expect(errors).toHaveLength(1);
    expect(seen).toEqual([1n, 2n]);
  });
});
