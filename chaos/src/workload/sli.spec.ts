import { describe, expect, it } from '@jest/globals';
import { buildHistory } from '../history/history.builder.js';
import { measureSli, quantile } from './sli.js';

const history = buildHistory([
  { process: 0, f: 'read', start: 0, end: 100 },
  { process: 1, f: 'read', start: 0, end: 300 },
  { process: 2, f: 'update', start: 100, end: 1_100, type: 'fail' },
  { process: 3, f: 'update', start: 200, end: 5_200, type: 'info' },
  { process: 0, f: 'read', start: 1_000, end: 1_050 },
]);

describe('measureSli', () => {
  it('error rate counts fail and info over what completed in the window', () => {
    expect(measureSli(history, 'errorRate', 10_000, 6_000)).toEqual({ value: 2 / 5, operations: 5 });
    expect(measureSli(history, 'availability', 10_000, 6_000).value).toBeCloseTo(0.6);
    expect(measureSli(history, 'errorRate', 1_000, 2_000)).toEqual({ value: 1 / 2, operations: 2 });
  });

  it('latency percentiles are of ok operations; throughput per second of the window', () => {
    expect(measureSli(history, 'p50LatencyMs', 10_000, 6_000).value).toBe(100);
    expect(measureSli(history, 'p99LatencyMs', 10_000, 6_000).value).toBe(300);
    expect(measureSli(history, 'throughput', 10_000, 6_000).value).toBe(0.5);
  });

  it('has no value for an empty window, and says which SLIs are not supported yet', () => {
    expect(measureSli(history, 'errorRate', 500, 20_000)).toMatchObject({ value: null, why: 'no operation completed in the window' });
    expect(measureSli(history, 'edgeStaleRate', 10_000, 6_000)).toMatchObject({ value: null, why: expect.stringContaining('not supported yet') });
  });

  it('quantile is nearest-rank', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});
