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

  it('has no value for an empty window, nor a stale rate without reads or fetches in it', () => {
    expect(measureSli(history, 'errorRate', 500, 20_000)).toMatchObject({ value: null, why: 'no operation completed in the window' });
    expect(measureSli(history, 'edgeStaleRate', 10_000, 6_000)).toMatchObject({ value: null, operations: 0, why: 'no media fetch answered in the window' });
  });

  describe('staleReadRate', () => {
    // u1: registered (v1), renamed to v2 (acknowledged at 200) and v3 (acknowledged at 900); u2 registered only.
    const reads = buildHistory([
      { process: 0, f: 'register', start: 0, end: 50, value: { userId: 'u1' }, result: { version: 1 } },
      { process: 0, f: 'update', start: 100, end: 200, value: { userId: 'u1' }, result: { version: 2 } },
      { process: 1, f: 'read', start: 150, end: 300, value: { userId: 'u1' }, result: { version: 1 } }, // invoked before v2 was acknowledged: fresh
      { process: 2, f: 'read', start: 250, end: 350, value: { userId: 'u1' }, result: { version: 1 } }, // after v2: stale
      { process: 3, f: 'register', start: 0, end: 60, value: { userId: 'u2' }, result: {} }, // a register counts as version 1
      { process: 3, f: 'read', start: 400, end: 450, value: { userId: 'u2' }, result: { version: 1 } },
      { process: 0, f: 'update', start: 800, end: 900, value: { userId: 'u1' }, result: { version: 3 } },
      { process: 1, f: 'read', start: 950, end: 1_000, value: { userId: 'u1' }, result: { version: 2 } }, // another client, behind v3: stale
      { process: 2, f: 'read', start: 960, end: 1_010, value: { userId: 'u1' }, result: {} }, // no version: not judged
      { process: 4, f: 'read', start: 970, end: 1_020, type: 'fail', value: { userId: 'u1' } },
    ]);

    it('is the share of ok reads older than a write acknowledged to any client before they were sent', () => {
      expect(measureSli(reads, 'staleReadRate', 10_000, 2_000)).toEqual({ value: 2 / 4, operations: 4 });
    });

    it('judges only the reads in the window, against writes from before it too', () => {
      expect(measureSli(reads, 'staleReadRate', 600, 1_100)).toEqual({ value: 1, operations: 1 });
      expect(measureSli(reads, 'staleReadRate', 200, 320)).toEqual({ value: 0, operations: 1 });
    });
  });

  describe('edgeStaleRate', () => {
    const fetches = buildHistory([
      { process: 0, f: 'fetch', start: 0, end: 10, value: { mediaId: 'm' }, result: { cache: 'MISS' } },
      { process: 0, f: 'fetch', start: 20, end: 30, value: { mediaId: 'm' }, result: { cache: 'HIT' } },
      { process: 1, f: 'fetch', start: 40, end: 50, value: { mediaId: 'm' }, result: { cache: 'STALE' } },
      { process: 1, f: 'fetch', start: 60, end: 70, value: { mediaId: 'm' }, result: { cache: 'UPDATING' } },
      { process: 2, f: 'fetch', start: 80, end: 90, type: 'fail', value: { mediaId: 'n' }, error: { code: 'HTTP_502', status: 502 } },
      { process: 3, f: 'read', start: 0, end: 100, value: { userId: 'u' }, result: { version: 1 } },
    ]);

    it('is the share of answered media fetches the edge served past their TTL (STALE or UPDATING)', () => {
      expect(measureSli(fetches, 'edgeStaleRate', 1_000, 100)).toEqual({ value: 2 / 4, operations: 4 });
      expect(measureSli(fetches, 'edgeStaleRate', 35, 35)).toEqual({ value: 0, operations: 2 });
    });
  });

  it('quantile is nearest-rank', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});
