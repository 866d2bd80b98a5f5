import { describe, expect, it } from '@jest/globals';
import { checkRun } from './check-run.js';
import type { FaultWindow } from './fault-window.js';
import { operationCounts, summarize } from './run-summary.js';
import { cleanHistory, cleanSnapshot, withEvents } from './testing/run.fixtures.js';

const faults: FaultWindow[] = [{ kind: 'partition', target: 'dc-a.user-1->shard0-1', injectedAt: 55, healedAt: 95, shards: [0] }];
// The fixture run lasts a fraction of a second: one 100 ms bucket back at the steady state is enough.
const recovery = { bucketMs: 100, stableBuckets: 1 };

describe('summarize', () => {
  it('builds a passing report from a clean run, with every field report.json needs', () => {
    const history = cleanHistory();
    const report = summarize(history, checkRun({ history, snapshot: cleanSnapshot(), faults, sloTarget: 0.5, recovery }), faults);
    expect(report).toMatchObject({
      verdict: 'pass',
      faults: [{ kind: 'partition', target: 'dc-a.user-1->shard0-1', injectedAt: 55, healedAt: 95 }],
      recoverySeconds: 0.035, // alice's update, invoked at 60 after the fault at 55, acknowledged at 90
      lostAcknowledgedWrites: 0,
      duplicates: 0,
      splitBrain: 0,
      budgetSpent: 0,
      operations: { total: 6, ok: 5, fail: 0, info: 1 },
    });
    expect(report.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['lost-acknowledged-writes', true],
      ['duplicated-effects', true],
      ['stream-versions', true],
      ['projections-match-replay', true],
      ['session-consistency', true],
      ['split-brain', true],
      ['recovery', true],
      ['error-budget', true],
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('fails the run on a lost write and carries the violation with its witness into the report', () => {
    const history = cleanHistory();
    const snapshot = withEvents(cleanSnapshot(), 0, (events) => events.filter((e) => e.type !== 'ProfileUpdated'));
    const report = summarize(history, checkRun({ history, snapshot, faults, sloTarget: 0.5, recovery }), faults);
    expect(report.verdict).toBe('fail');
    expect(report.lostAcknowledgedWrites).toBe(1);
    const lost = report.assertions.find((a) => a.name === 'lost-acknowledged-writes')!;
    expect(lost).toMatchObject({ passed: false, violationCount: 1 });
    expect(lost.violations[0]!.witness.map((e) => e.type)).toEqual(['invoke', 'ok']);
  });

  it('leaves the fields of checkers that did not run null, and keeps only the first violations of each', () => {
    const history = cleanHistory();
    const others = [{ name: 'p99-latency', passed: false, observed: { p99: 900 }, expected: 'under 500 ms', violations: [1, 2, 3].map((n) => ({ description: `slow ${n}`, witness: [] })) }];
    const report = summarize(history, { others }, [], { violationsPerAssertion: 2 });
    expect(report).toMatchObject({ verdict: 'fail', recoverySeconds: null, lostAcknowledgedWrites: null, duplicates: null, splitBrain: null, budgetSpent: null, faults: [] });
    expect(report.assertions[0]).toMatchObject({ violationCount: 3, violations: [{ description: 'slow 1' }, { description: 'slow 2' }] });
  });

  it('does not pass a run that asserted nothing', () => {
    expect(summarize(cleanHistory(), {}, []).verdict).toBe('fail');
  });
});

describe('operationCounts', () => {
  it('counts operations by outcome and kind', () => {
    const counts = operationCounts(cleanHistory());
    expect(counts.byF).toEqual({
      register: { ok: 2, fail: 0, info: 0 },
      login: { ok: 0, fail: 0, info: 0 },
      update: { ok: 1, fail: 0, info: 1 },
      read: { ok: 1, fail: 0, info: 0 },
      upload: { ok: 1, fail: 0, info: 0 },
      fetch: { ok: 0, fail: 0, info: 0 },
    });
  });
});
