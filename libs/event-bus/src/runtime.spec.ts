import { describe, expect, it } from '@jest/globals';
import { backoffDelay, pause, WakeSignal } from './runtime.js';

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with equal jitter', () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5, 30, 1000].map((n) => backoffDelay(n, options, () => 0))).toEqual([50, 100, 200, 400, 500, 500, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, options, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('WakeSignal', () => {
  it('does not lose a wake-up that came between the read and the wait', async () => {
    const wake = new WakeSignal();
    const seen = wake.current;
    wake.notify();
    const started = Date.now();
    await wake.wait(seen, 10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('wakes waiters on notify, and on abort', async () => {
    const wake = new WakeSignal();
    const waiting = wake.wait(wake.current, 10_000);
    wake.notify();
    await waiting;
    const controller = new AbortController();
    const aborted = wake.wait(wake.current, 10_000, controller.signal);
    controller.abort();
    await aborted;
    await pause(10_000, controller.signal);
  });
});
