import { describe, expect, it } from '@jest/globals';
import { buildHistory, type OperationSpec } from '../history/history.builder.js';
import type { CompletionType, OperationKind } from '../history/operation.js';
import type { FaultWindow } from './fault-window.js';
import { checkRecovery } from './recovery.checker.js';

type Outcome = (start: number, shard: number, f: OperationKind) => CompletionType;

/** Per shard, an update every 100 ms and a read every 100 ms (50 ms later), 20 ms each, for 20 s. */
function steadyWorkload(outcome: Outcome, shards = [0, 1]): OperationSpec[] {
  return shards.flatMap((shard) =>
    (['update', 'read'] as const).flatMap((f, i) =>
      Array.from({ length: 200 }, (_, k): OperationSpec => {
        const start = k * 100 + i * 50;
        return { process: shard * 2 + i, f, start, end: start + 20, type: outcome(start, shard, f), value: { shard } };
      }),
    ),
  );
}

const killPrimary: FaultWindow = { kind: 'kill', target: 'shard0-1', injectedAt: 10_000, healedAt: 15_000, shards: [0] };

/** Shard 0: everything fails from 10 s, reads are back at 12 s, writes at 13 s. */
const failover: Outcome = (start, shard, f) => (shard === 0 && start >= 10_000 && start < (f === 'read' ? 12_000 : 13_000) ? 'fail' : 'ok');

describe('checkRecovery', () => {
  it('measures write, read and error-rate recovery of the affected shard from the injection', () => {
    const result = checkRecovery({ history: buildHistory(steadyWorkload(failover)), faults: [killPrimary] });
    expect(result).toMatchObject({ name: 'recovery', passed: true, violations: [] });
    expect(result.observed).toEqual({
      recoveries: [
        {
          fault: 0,
          kind: 'kill',
          target: 'shard0-1',
          shard: 0,
          writeRecoveryMs: 3020, // the update invoked at 13 000 completed at 13 020
          readRecoveryMs: 2070, // the read invoked at 12 050 completed at 12 070
          errorRateRecoveryMs: 3000, // buckets from 13 s on are back at the steady rate of 0
          baselineErrorRate: 0,
          writesAttempted: 100,
          readsAttempted: 100,
        },
      ],
      longestWriteRecoveryMs: 3020,
      unrecovered: 0,
    });
  });

  it('reports a shard that never recovers as null with violations, without throwing', () => {
    const history = buildHistory(steadyWorkload((start, shard) => (shard === 0 && start >= 10_000 ? 'fail' : 'ok')));
    const result = checkRecovery({ history, faults: [killPrimary] });
    expect(result.passed).toBe(false);
    expect(result.observed).toMatchObject({ longestWriteRecoveryMs: null, unrecovered: 1 });
    expect(result.observed.recoveries[0]).toMatchObject({ writeRecoveryMs: null, readRecoveryMs: null, errorRateRecoveryMs: null });
    expect(result.violations.map((v) => v.description)).toEqual([
      'shard 0 after kill on shard0-1: no write succeeded again',
      'shard 0 after kill on shard0-1: no read succeeded again',
      'shard 0 after kill on shard0-1: the error rate was not back at 0.000 for long enough before the run ended',
    ]);
    // The witness of "no write succeeded again": the last write attempted, which failed.
    const witness = result.violations[0]!.witness;
    expect(witness.map((e) => [e.f, e.type, e.time])).toEqual([
      ['update', 'invoke', 19_900],
      ['update', 'fail', 19_920],
    ]);
  });

  it('counts timeouts as errors for the error rate, though they are not failures', () => {
    const history = buildHistory(steadyWorkload((start, shard) => (shard === 0 && start >= 10_000 && start < 12_000 ? 'info' : 'ok')));
    const [recovery] = checkRecovery({ history, faults: [killPrimary] }).observed.recoveries;
    expect(recovery).toMatchObject({ writeRecoveryMs: 2020, errorRateRecoveryMs: 2000 });
  });

  it('measures a fault without shards over the whole system', () => {
    const history = buildHistory(steadyWorkload(failover));
    const [recovery] = checkRecovery({ history, faults: [{ kind: 'latency', target: 'dc-a', injectedAt: 10_000 }] }).observed.recoveries;
    // Shard 1 kept writing: the system as a whole never stopped accepting writes.
    expect(recovery).toMatchObject({ shard: null, writeRecoveryMs: 20 });
  });

  it('compares the error rate with the steady state before the fault, not with zero', () => {
    const noisy: Outcome = (start, shard, f) => (start % 1000 === 0 ? 'fail' : failover(start, shard, f)); // 1 in 20 fails all run long
    const [recovery] = checkRecovery({ history: buildHistory(steadyWorkload(noisy)), faults: [killPrimary], tolerance: 0 }).observed.recoveries;
    expect(recovery).toMatchObject({ baselineErrorRate: 0.05, errorRateRecoveryMs: 3000 });

    const noisyOnlyAfter: Outcome = (start, shard, f) => (start >= 10_000 && start % 1000 === 0 ? 'fail' : failover(start, shard, f));
    const [worse] = checkRecovery({ history: buildHistory(steadyWorkload(noisyOnlyAfter)), faults: [killPrimary], tolerance: 0 }).observed.recoveries;
    expect(worse).toMatchObject({ baselineErrorRate: 0, errorRateRecoveryMs: null });
  });

  it('flags a write recovery slower than the experiment allows, with the first successful write as witness', () => {
    const result = checkRecovery({ history: buildHistory(steadyWorkload(failover)), faults: [killPrimary], maxWriteRecoveryMs: 2000 });
    expect(result.passed).toBe(false);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.description).toBe('shard 0 after kill on shard0-1: writes took 3020 ms to recover (limit 2000 ms)');
    expect(result.violations[0]!.witness.map((e) => [e.type, e.time])).toEqual([
      ['invoke', 13_000],
      ['ok', 13_020],
    ]);
  });

  it('has nothing to measure, and nothing to flag, for a kind of operation not attempted after the fault', () => {
    const history = buildHistory(steadyWorkload(() => 'ok').filter((op) => op.f === 'update' || op.start < 10_000));
    const [recovery] = checkRecovery({ history, faults: [killPrimary] }).observed.recoveries;
    expect(recovery).toMatchObject({ readRecoveryMs: null, readsAttempted: 0, writeRecoveryMs: 20 });
    expect(checkRecovery({ history, faults: [killPrimary] }).passed).toBe(true);
  });

  it.each([
    ['bucketMs', { bucketMs: 0 }],
    ['stableBuckets', { stableBuckets: 0.5 }],
    ['tolerance', { tolerance: -1 }],
  ])('refuses a meaningless %s', (_, options) => {
    expect(() => checkRecovery({ history: [], faults: [], ...options })).toThrow(expect.objectContaining({ code: 'CHECKER_OPTIONS_INVALID' }));
  });
});
