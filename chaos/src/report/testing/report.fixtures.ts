import type { CheckResult } from '../../checkers/check-result.js';
import { cleanHistory, cleanSnapshot } from '../../checkers/testing/run.fixtures.js';
import { loadBuiltInExperiment } from '../../experiments/index.js';
import { runCheckers } from '../../runner/judge-assertions.js';
import type { ReportInput } from '../build-report.js';

/** A finished run of kill-primary over the checkers' clean fixtures, for report tests. */
export function reportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const experiment = loadBuiltInExperiment('kill-primary');
  const history = cleanHistory();
  const faults = [{ id: 'f1', kind: 'kill', label: 'kill shard0-1', target: 'primaryOf 0 (shard0-1)', injectedAt: 50, healedAt: 4000, injectedAtIso: '2026-01-01T00:00:00.050Z', healedAtIso: '2026-01-01T00:00:04.000Z', shards: [0] }];
  const checkers = runCheckers({ history, snapshot: cleanSnapshot(), faults: [{ kind: 'kill', target: 'shard0-1', injectedAt: 50, healedAt: 4000, shards: [0] }], assertions: experiment.assertions });
  const asserted: CheckResult[] = [{ ...checkers.lostWrites!, observed: { ...checkers.lostWrites!.observed }, name: 'noLostAcknowledgedWrites (lost-acknowledged-writes)' }];
  return {
    runId: '2026-01-01T00-00-00Z-kill-primary',
    name: 'kill-primary',
    file: 'chaos/experiments/kill-primary.yaml',
    experiment,
    startedAtMs: Date.parse('2026-01-01T00:00:00Z'),
    endedAtMs: Date.parse('2026-01-01T00:01:00Z'),
    seed: 7,
    topology: 'full',
    entrypoint: 'http://127.0.0.1:21046',
    history,
    faults,
    checkers,
    asserted,
    hypothesis: [{ name: 'before the method: every component healthy', type: 'health', passed: true, observed: 'all healthy', expected: 'every component healthy', at: 0 }],
    probes: [{ name: 'the baseline is clean', type: 'sli', passed: true, observed: { value: 0, operations: 3 }, expected: 'errorRate ≤ 0.01', at: 10 }],
    steps: [{ phase: 'method', index: 0, name: 'start the workload', type: 'workload', startedAt: 0, endedAt: 5, outcome: 'done' }],
    stoppedBy: null,
    workload: { clients: 8, ratePerSecond: 40, mix: experiment.workload.mix, operationTimeoutMs: 5000, missedTicks: 0 },
    notes: ['a note'],
    ...overrides,
  };
}
