import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker } from './circuit-breaker.js';

const clock = () => {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('CircuitBreaker', () => {
  it('stays closed below the failure threshold and forgets failures after a success', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: time.now });
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.admit()).toEqual({ admitted: true });
  });

  it('opens after consecutive failures and refuses calls with the time left until a probe', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 1000, now: time.now });
    breaker.onFailure();
    breaker.onFailure();
    time.advance(400);
    expect(breaker.state).toBe('open');
    expect(breaker.admit()).toEqual({ admitted: false, retryAfterMs: 600 });
  });

  it('lets exactly one probe through once the open period is over', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 1000, now: time.now });
    breaker.onFailure();
    time.advance(1000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.admit().admitted).toBe(true);
    expect(breaker.admit().admitted).toBe(false);
  });

  it('closes when the probe succeeds and reopens for a full period when it fails', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 1000, now: time.now });
    for (let i = 0; i < 5; i++) breaker.onFailure();
    time.advance(1000);
    breaker.admit();
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.admit()).toEqual({ admitted: false, retryAfterMs: 1000 });
    time.advance(1000);
    breaker.admit();
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
  });
});
