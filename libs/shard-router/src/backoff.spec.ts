import { describe, expect, it } from '@jest/globals';
import { backoffDelay, sleep } from './backoff.js';

describe('backoffDelay', () => {
  const options = { baseMs: 20, maxMs: 200 };

  it('doubles from the base up to the cap, between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(n, options, () => 0))).toEqual([10, 20, 40, 80, 100, 100, 100]);
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(n, options, () => 1))).toEqual([20, 40, 80, 160, 200, 200, 200]);
  });

  it('is jittered', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, options)));
    expect(delays.size).toBeGreaterThan(5);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(80);
  });
});

describe('sleep', () => {
  it('waits', async () => {
    const t0 = Date.now();
    await sleep(30);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the abort reason, at once when already aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(sleep(10, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
