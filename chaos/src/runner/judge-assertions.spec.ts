import { describe, expect, it } from '@jest/globals';
import { cleanHistory, cleanSnapshot, withEvents } from '../checkers/testing/run.fixtures.js';
import type { ExperimentAssertion } from '../experiments/index.js';
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
});
