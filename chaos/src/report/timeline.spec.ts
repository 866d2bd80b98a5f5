import { describe, expect, it } from '@jest/globals';
import { buildHistory } from '../history/history.builder.js';
import { timelineOf } from './timeline.js';

describe('timelineOf', () => {
  it('buckets completions per second, with error rate and latency percentiles of ok operations; empty seconds included', () => {
    const history = buildHistory([
      { process: 0, f: 'read', start: 0, end: 100 },
      { process: 1, f: 'read', start: 0, end: 300 },
      { process: 2, f: 'update', start: 100, end: 900, type: 'fail' },
      { process: 0, f: 'update', start: 2_000, end: 2_500, type: 'info' },
    ]);
    expect(timelineOf(history)).toEqual([
      { t: 0, ok: 2, fail: 1, info: 0, errorRate: 0.333, p50LatencyMs: 100, p99LatencyMs: 300 },
      { t: 1, ok: 0, fail: 0, info: 0, errorRate: 0, p50LatencyMs: null, p99LatencyMs: null },
      { t: 2, ok: 0, fail: 0, info: 1, errorRate: 1, p50LatencyMs: null, p99LatencyMs: null },
    ]);
    expect(timelineOf([])).toEqual([]);
  });
});
