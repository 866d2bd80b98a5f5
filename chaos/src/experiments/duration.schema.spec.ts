import { describe, expect, it } from '@jest/globals';
import { durationToMs, msToDuration } from './duration.schema.js';

describe('durations', () => {
  it('reads ms, s, m and h, fractions and combinations', () => {
    expect(['500ms', '10s', '1.5s', '2m', '1m30s', '1h', '0s'].map(durationToMs)).toEqual([500, 10_000, 1_500, 120_000, 90_000, 3_600_000, 0]);
  });

  it('refuses text without a unit or with an unknown one, saying what to write', () => {
    for (const text of ['10', '10 s', 's', '10sec', '-1s', '']) expect(() => durationToMs(text)).toThrow('must be a duration like 10s or 500ms');
  });

  it('prints milliseconds back the way a document writes them', () => {
    expect([500, 10_000, 1_500, 120_000, 90_000, 90_500].map(msToDuration)).toEqual(['500ms', '10s', '1.5s', '2m', '1m30s', '1m30.5s']);
    for (const text of ['250ms', '45s', '3m', '2m5s']) expect(msToDuration(durationToMs(text))).toBe(text);
  });
});
