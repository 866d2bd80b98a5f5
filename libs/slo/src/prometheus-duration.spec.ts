import { describe, expect, it } from '@jest/globals';
import { formatPrometheusDuration, parsePrometheusDuration } from './prometheus-duration.js';

describe('Prometheus durations', () => {
  it('writes seconds as Prometheus does: largest unit first, each at most once, whole milliseconds', () => {
    expect([300, 90, 20, 2592, 3600, 21_600, 259_200, 2_592_000, 0.25, 4.5, 93_784.005].map(formatPrometheusDuration)).toEqual([
      '5m',
      '1m30s',
      '20s',
      '43m12s',
      '1h',
      '6h',
      '3d',
      '30d',
      '250ms',
      '4s500ms',
      '1d2h3m4s5ms',
    ]);
    // 5m / 7 = 42.857142… s: rounded to the millisecond.
    expect(formatPrometheusDuration(300 / 7)).toBe('42s857ms');
    expect(() => formatPrometheusDuration(0)).toThrow(RangeError);
    expect(() => formatPrometheusDuration(Number.NaN)).toThrow(RangeError);
  });

  it('reads them back, and refuses what is not one', () => {
    expect(['5m', '1m30s', '30d', '4w', '250ms'].map(parsePrometheusDuration)).toEqual([300, 90, 2_592_000, 2_419_200, 0.25]);
    expect(['', '5', 'm5', '1.5h', '30D'].map(parsePrometheusDuration)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
