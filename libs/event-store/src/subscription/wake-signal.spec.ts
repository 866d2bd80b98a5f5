import { describe, expect, it } from '@jest/globals';
import { WakeSignal } from './wake-signal.js';

describe('WakeSignal', () => {
  it('does not lose a wake-up that came between reading and waiting', async () => {
    const signal = new WakeSignal();
    const seen = signal.current;
    signal.notify();
    const started = performance.now();
    await signal.wait(seen, 60_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('wakes every waiter on notify, and times out otherwise', async () => {
    const signal = new WakeSignal();
    const waits = [signal.wait(signal.current, 60_000), signal.wait(signal.current, 60_000)];
    signal.notify();
    await Promise.all(waits);
    const started = performance.now();
    await signal.wait(signal.current, 20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('returns when the abort signal fires', async () => {
    const signal = new WakeSignal();
    const controller = new AbortController();
    const waiting = signal.wait(signal.current, 60_000, controller.signal);
    controller.abort();
    await waiting;
    await signal.wait(signal.current, 60_000, controller.signal);
  });
});
