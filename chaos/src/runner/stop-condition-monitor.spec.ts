import { describe, expect, it } from '@jest/globals';
import { buildHistory, type OperationSpec } from '../history/history.builder.js';
import { StopConditionMonitor } from './stop-condition-monitor.js';

/** One read per 100 ms from `from` to `until`, failing in [failFrom, failUntil). */
const reads = (from: number, until: number, failFrom: number, failUntil: number): OperationSpec[] =>
  Array.from({ length: (until - from) / 100 }, (_, i) => {
    const start = from + i * 100;
    return { process: i % 4, f: 'read' as const, start, end: start + 50, type: start >= failFrom && start < failUntil ? ('fail' as const) : ('ok' as const) };
  });

describe('StopConditionMonitor', () => {
  it('fires once the SLI has been past the threshold for the whole `for`', () => {
    const history = buildHistory(reads(0, 30_000, 10_000, 30_000));
    const monitor = new StopConditionMonitor([{ sli: 'errorRate', above: 0.5, for: 5_000 }]);
    const fired: number[] = [];
    for (let now = 1000; now <= 30_000; now += 1000) if (monitor.check(history, now)) fired.push(now);
    // Past 0.5 from 13 s on (a 5 s window more than half failures), fires 5 s later.
    expect(fired[0]).toBe(18_000);
  });

  it('a short burst does not fire; the streak restarts after a good window', () => {
    const history = buildHistory(reads(0, 30_000, 10_000, 14_000));
    const monitor = new StopConditionMonitor([{ sli: 'errorRate', above: 0.5, for: 5_000 }]);
    for (let now = 1000; now <= 30_000; now += 1000) expect(monitor.check(history, now)).toBeUndefined();
  });

  it('below works too, and says what fired', () => {
    const history = buildHistory(reads(0, 10_000, 0, 10_000));
    const monitor = new StopConditionMonitor([{ sli: 'availability', below: 0.9, for: 0 }]);
    expect(monitor.check(history, 5_000)).toEqual({ condition: 'availability below 0.9', at: 5_000, observed: 0 });
  });
});
