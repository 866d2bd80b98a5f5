import { describe, expect, it } from '@jest/globals';
import { backoffDelay, pause } from './runtime.js';

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with equal jitter', () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5, 30, 1000].map((n) => backoffDelay(n, options, () => 0))).toEqual([50, 100, 200, 400, 500, 500, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, options, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('pause', () => {
  it('ends early, without an error, when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pausing = pause(10_000, controller.signal);
    controller.abort();
    await pausing;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
