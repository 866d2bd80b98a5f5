import { describe, expect, it } from '@jest/globals';
import { buildReport } from './build-report.js';
import { reportInput } from './testing/report.fixtures.js';

describe('buildReport', () => {
  it('has the fields report.json promises, and passes when everything judged held', () => {
    const report = buildReport(reportInput());
    expect(report).toMatchObject({
      verdict: 'pass',
      reason: null,
      durationSeconds: 60,
      seed: 7,
      experiment: { name: 'kill-primary', lesson: expect.any(String) },
      faults: [{ kind: 'kill', target: 'primaryOf 0 (shard0-1)', injectedAt: 50, healedAt: 4000 }],
      lostAcknowledgedWrites: 0,
      duplicates: 0,
      splitBrain: 0,
      budgetSpent: expect.any(Number),
      operations: { total: 6, ok: 5, fail: 0, info: 1 },
    });
    // The fixture's history is 130 ms long: shard 0's error rate is never seen settling, so no recovery time.
    expect(report.recoverySeconds).toBeNull();
    expect(report.checkers.recovery).toMatchObject({ passed: false, observed: { unrecovered: 1 } });
    expect(report.assertions.map((a) => [a.kind, a.name, a.passed])).toEqual([
      ['hypothesis', 'before the method: every component healthy', true],
      ['probe', 'the baseline is clean', true],
      ['check', 'noLostAcknowledgedWrites (lost-acknowledged-writes)', true],
    ]);
    expect(Object.keys(report.checkers)).toContain('split-brain');
    expect(report.timeline.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('has every SLI over the whole run, the stale-read rates included', () => {
    const { slis } = buildReport(reportInput());
    expect(slis.errorRate).toEqual({ value: 1 / 6, operations: 6 });
    // alice's read (v2) was sent after her rename to v2 was acknowledged: fresh.
    expect(slis.staleReadRate).toEqual({ value: 0, operations: 1 });
    // The fixture's workload fetched no media through the edge.
    expect(slis.edgeStaleRate).toEqual({ value: null, operations: 0 });
  });

  it('fails on a failed probe or a stop condition, saying which', () => {
    const probe = buildReport(reportInput({ probes: [{ name: 'slow', type: 'sli', passed: false, observed: 1, expected: 'x', at: 1 }] }));
    expect(probe).toMatchObject({ verdict: 'fail', reason: 'failed: slow' });
    const stopped = buildReport(reportInput({ stoppedBy: { condition: 'errorRate above 0.5 for 20s', at: 30_000, observed: 0.9 } }));
    expect(stopped.verdict).toBe('fail');
    expect(stopped.assertions.at(-1)).toMatchObject({ kind: 'stop-condition', passed: false });
  });

  it('is an error with the reason when the run could not finish, with no checker numbers', () => {
    const report = buildReport(reportInput({ error: 'method step 4 failed: boom', checkers: undefined, asserted: [] }));
    expect(report).toMatchObject({ verdict: 'error', reason: 'method step 4 failed: boom', lostAcknowledgedWrites: null, recoverySeconds: null });
  });

  it('judges nothing → fail: a run that checked nothing proves nothing', () => {
    const report = buildReport(reportInput({ hypothesis: [], probes: [], asserted: [] }));
    expect(report.verdict).toBe('fail');
    expect(report.reason).toMatch(/nothing was judged/);
  });
});
