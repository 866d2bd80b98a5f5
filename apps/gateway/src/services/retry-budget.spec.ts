import { describe, expect, it } from '@jest/globals';
import { RetryBudget } from './retry-budget.js';

describe('RetryBudget', () => {
  it('allows the minimum retries per second even without calls, then refuses', () => {
    const budget = new RetryBudget({ ratio: 0.1, minPerSecond: 2, now: () => 0 });
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
  });

  it('earns one retry per 1/ratio calls', () => {
    const budget = new RetryBudget({ ratio: 0.25, minPerSecond: 0, now: () => 0 });
    for (let i = 0; i < 8; i++) budget.recordCall();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
  });

  it('refills the reserve over time, never above the minimum', () => {
    let now = 0;
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 2, now: () => now });
    budget.tryRetry();
    budget.tryRetry();
    expect(budget.tryRetry()).toBe(false);
    now = 500;
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    now = 60_000;
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
  });

  it('caps what a long run of successful calls can save up', () => {
    const budget = new RetryBudget({ ratio: 1, minPerSecond: 0, now: () => 0 });
    for (let i = 0; i < 1000; i++) budget.recordCall();
    let retries = 0;
    while (budget.tryRetry()) retries++;
    expect(retries).toBe(10);
  });
});
