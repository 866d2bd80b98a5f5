import { describe, expect, it } from '@jest/globals';
import { cleanHistory, cleanSnapshot, withEvents } from '../checkers/testing/run.fixtures.js';
import type { ExperimentAssertion } from '../experiments/index.js';
import type { HistoryEntry } from '../history/operation.js';
import { assertedResults, runCheckers } from './judge-assertions.js';

/** The fixtures' history is too short to see an error rate settle after a fault: no fault here, recovery has nothing to measure. */
const faults: never[] = [];

describe('runCheckers and assertedResults', () => {
  it('runs every checker and keeps only the asserted ones for the verdict, named after the assertion', () => {
    const assertions: ExperimentAssertion[] = [
      { check: 'noLostAcknowledgedWrites', expect: 'holds' },
      { check: 'recoveryWithin', expect: 'holds', seconds: 5 },
    ];
    const results = runCheckers({ history: cleanHistory(), snapshot: cleanSnapshot(), faults, assertions });
    expect(Object.keys(results).sort()).toEqual(['duplicates', 'errorBudget', 'lostWrites', 'projections', 'recovery', 'sessionConsistency', 'splitBrain', 'streamVersions']);
    const asserted = assertedResults(results, assertions);
    expect(asserted.map((r) => [r.name, r.passed])).toEqual([
      ['noLostAcknowledgedWrites (lost-acknowledged-writes)', true],
      ['recoveryWithin (recovery)', true],
    ]);
    expect(asserted[1]!.expected).toMatch(/within 5000 ms/);
  });

  it('turns a checker around for expect: violated', () => {
    const lost = withEvents(cleanSnapshot(), 0, (events) => events.filter((e) => e.type !== 'ProfileUpdated'));
    const assertions: ExperimentAssertion[] = [{ check: 'noLostAcknowledgedWrites', expect: 'violated' }];
    const [whenLost] = assertedResults(runCheckers({ history: cleanHistory(), snapshot: lost, faults: [], assertions }), assertions);
    expect(whenLost).toMatchObject({ passed: true, name: expect.stringContaining('expected violated') });
    const [whenKept] = assertedResults(runCheckers({ history: cleanHistory(), snapshot: cleanSnapshot(), faults: [], assertions }), assertions);
    expect(whenKept!.passed).toBe(false);
  });

  it('runs the lost-jobs checker only when noLostJobs is asserted, and judges it', () => {
    const assertions: ExperimentAssertion[] = [{ check: 'noLostJobs', expect: 'holds' }];
    const results = runCheckers({ history: cleanHistory(), snapshot: cleanSnapshot(), faults: [], assertions });
    // The fixture's snapshot has no mail sink (unchecked) and no thumbnail for bob's upload (lost).
    expect(results.lostJobs!.observed).toMatchObject({ jobs: 3, unchecked: 2, lost: 1 });
    expect(assertedResults(results, assertions).map((r) => [r.name, r.passed])).toEqual([['noLostJobs (lost-jobs)', false]]);
    expect(runCheckers({ history: cleanHistory(), snapshot: cleanSnapshot(), faults: [], assertions: [] }).lostJobs).toBeUndefined();
  });

  it("applies errorBudget's share and readYourWrites' failOn", () => {
    const assertions: ExperimentAssertion[] = [
      { check: 'errorBudget', expect: 'holds', target: 0.5, maxSpent: 0.01 },
      { check: 'readYourWrites', expect: 'holds', failOn: true },
    ];
    const results = runCheckers({ history: cleanHistory(), snapshot: cleanSnapshot(), faults: [], assertions });
    expect(results.errorBudget!.expected).toMatch(/at most 1% of the error budget of a 50% SLO/);
    expect(results.sessionConsistency!.expected).toBe('no read-your-writes violation');
  });

  it('judges errorBudget over the operation kinds it names only', () => {
    // The clean history, plus media fetches that all failed (an edge cut from its origin, nothing cached).
    const clean = cleanHistory();
    const after = clean.at(-1)!.time + 1;
    const failedFetches: HistoryEntry[] = Array.from({ length: 10 }, (_, i) => {
      const common = { process: 7, f: 'fetch' as const, value: { mediaId: `m${i}` } };
      const index = clean.length + 2 * i;
      return [
        { type: 'invoke' as const, ...common, index, time: after + i },
        { type: 'fail' as const, ...common, index: index + 1, time: after + i + 0.5, error: { code: 'HTTP_502', message: 'bad gateway', status: 502 } },
      ];
    }).flat();
    const history = [...clean, ...failedFetches];
    const judge = (operations?: ExperimentAssertion & { check: 'errorBudget' }) =>
      runCheckers({ history, snapshot: cleanSnapshot(), faults: [], assertions: [operations!] }).errorBudget!;

    const everything = judge({ check: 'errorBudget', expect: 'holds', target: 0.95, maxSpent: 1 });
    expect(everything.passed).toBe(false);
    expect(everything.observed).toMatchObject({ failed: 10 });

    const withoutFetches = judge({ check: 'errorBudget', expect: 'holds', target: 0.95, maxSpent: 1, operations: ['register', 'login', 'update', 'read', 'upload'] });
    expect(withoutFetches.passed).toBe(true);
    expect(withoutFetches.observed).toMatchObject({ failed: 0, operations: clean.filter((e) => e.type === 'ok').length });
    expect(withoutFetches.expected).toMatch(/\(register, login, update, read, upload only\)$/);
  });
});
