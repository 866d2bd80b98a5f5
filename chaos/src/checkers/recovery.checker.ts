import { completedOperations, entriesOf, type CompletedOperation } from '../history/completed-operations.js';
import { isReadKind, isWriteKind, type HistoryEntry } from '../history/operation.js';
import { CHECKS, type CheckResult, type Violation } from './check-result.js';
import { CheckerOptionsInvalidError } from './checker.errors.js';
import type { FaultWindow } from './fault-window.js';
import { groupBy } from './group-by.js';

export interface RecoveryInput {
  readonly history: readonly HistoryEntry[];
  readonly faults: readonly FaultWindow[];
  /** Width of the error-rate buckets; default 1 s. */
  readonly bucketMs?: number;
  /** How far before the fault the steady-state error rate is measured; default 10 s. */
  readonly baselineMs?: number;
  /** How far above the steady-state rate a bucket may be and still count as recovered; default 0.05 (5 points). */
  readonly tolerance?: number;
  /** How many non-empty buckets in a row must be back at the steady state; default 3. */
  readonly stableBuckets?: number;
  /** A write recovery longer than this is a violation; default: any finite recovery passes. */
  readonly maxWriteRecoveryMs?: number;
  /** The shard an operation went to; default `value.shard`. Operations without one count only for whole-system faults. */
  readonly shardOf?: (op: CompletedOperation) => number | undefined;
}

/** One fault's effect on one shard (or, with `shard: null`, on the whole system). Null times: never recovered, or nothing to measure (see attempts). */
export interface ShardRecovery {
  readonly fault: number;
  readonly kind: string;
  readonly target: string;
  readonly shard: number | null;
  readonly writeRecoveryMs: number | null;
  readonly readRecoveryMs: number | null;
  readonly errorRateRecoveryMs: number | null;
  readonly baselineErrorRate: number;
  readonly writesAttempted: number;
  readonly readsAttempted: number;
}

export interface RecoveryObserved {
  readonly recoveries: readonly ShardRecovery[];
  /** The longest write recovery of all; null when some shard's writes never recovered, or none was measured. */
  readonly longestWriteRecoveryMs: number | null;
  readonly unrecovered: number;
}

/**
 * (g) Recovery per fault and affected shard, measured from injection (failover may recover before the heal):
 * - write (read) recovery: until the first ok write (read) invoked after the fault completes;
 * - error-rate recovery: until the start of the first run of `stableBuckets` buckets whose error rate is back
 *   within `tolerance` of the rate before the fault. Operations count in the bucket they were invoked in
 *   (what was asked then, however long it took), and fail and info both count as errors here: a timeout is
 *   unavailability even if the write happened. Empty buckets neither break nor extend a run.
 * Never recovered is reported (null and a violation), as is a kind of operation never attempted (null, no
 * violation: nothing to measure).
 */
export function checkRecovery(input: RecoveryInput): CheckResult<RecoveryObserved> {
  const options = validated(input);
  const operations = completedOperations(input.history);
  const violations: Violation[] = [];
  const recoveries = input.faults.flatMap((fault, index) =>
    (fault.shards ?? [null]).map((shard) => {
      const ops = shard === null ? operations : operations.filter((op) => options.shardOf(op) === shard);
      const recovery = recoveryOf(fault, index, shard, ops, options);
      violations.push(...violationsOf(recovery, ops, fault, options.maxWriteRecoveryMs));
      return recovery;
    }),
  );
  const unrecovered = recoveries.filter((r) => neverRecovered(r).length > 0).length;
  const writeTimes = recoveries.map((r) => r.writeRecoveryMs).filter((ms) => ms !== null);
  return {
    name: CHECKS.recovery,
    passed: violations.length === 0,
    observed: { recoveries, longestWriteRecoveryMs: unrecovered > 0 || writeTimes.length === 0 ? null : Math.max(...writeTimes), unrecovered },
    expected: `every affected shard recovers its writes, reads and error rate${input.maxWriteRecoveryMs === undefined ? '' : `, writes within ${input.maxWriteRecoveryMs} ms`}`,
    violations,
  };
}

type Options = Required<Omit<RecoveryInput, 'history' | 'faults' | 'maxWriteRecoveryMs'>> & Pick<RecoveryInput, 'maxWriteRecoveryMs'>;

function validated(input: RecoveryInput): Options {
  const options = {
    bucketMs: input.bucketMs ?? 1000,
    baselineMs: input.baselineMs ?? 10_000,
    tolerance: input.tolerance ?? 0.05,
    stableBuckets: input.stableBuckets ?? 3,
    shardOf: input.shardOf ?? ((op: CompletedOperation) => op.value.shard),
    maxWriteRecoveryMs: input.maxWriteRecoveryMs,
  };
  if (!(options.bucketMs > 0)) throw new CheckerOptionsInvalidError(CHECKS.recovery, 'bucketMs', 'must be positive');
  if (!(options.baselineMs > 0)) throw new CheckerOptionsInvalidError(CHECKS.recovery, 'baselineMs', 'must be positive');
  if (!(options.tolerance >= 0)) throw new CheckerOptionsInvalidError(CHECKS.recovery, 'tolerance', 'must not be negative');
  if (!Number.isInteger(options.stableBuckets) || options.stableBuckets < 1) throw new CheckerOptionsInvalidError(CHECKS.recovery, 'stableBuckets', 'must be a positive integer');
  return options;
}

function recoveryOf(fault: FaultWindow, index: number, shard: number | null, ops: readonly CompletedOperation[], options: Options): ShardRecovery {
  const after = ops.filter((op) => op.start >= fault.injectedAt);
  const writes = after.filter((op) => isWriteKind(op.f));
  const reads = after.filter((op) => isReadKind(op.f));
  const baseline = errorRate(ops.filter((op) => op.start >= fault.injectedAt - options.baselineMs && op.start < fault.injectedAt));
  return {
    fault: index,
    kind: fault.kind,
    target: fault.target,
    shard,
    writeRecoveryMs: firstOkAfter(writes, fault.injectedAt),
    readRecoveryMs: firstOkAfter(reads, fault.injectedAt),
    errorRateRecoveryMs: errorRateRecovery(after, fault.injectedAt, baseline + options.tolerance, options),
    baselineErrorRate: baseline,
    writesAttempted: writes.length,
    readsAttempted: reads.length,
  };
}

/** Time from the fault to the completion of the earliest-completing ok operation invoked after it. */
function firstOkAfter(ops: readonly CompletedOperation[], injectedAt: number): number | null {
  const ends = ops.filter((op) => op.type === 'ok').map((op) => op.end!);
  return ends.length === 0 ? null : Math.min(...ends) - injectedAt;
}

const errorRate = (ops: readonly CompletedOperation[]): number => (ops.length === 0 ? 0 : ops.filter((op) => op.type !== 'ok').length / ops.length);

function errorRateRecovery(after: readonly CompletedOperation[], injectedAt: number, threshold: number, { bucketMs, stableBuckets }: Options): number | null {
  const buckets = groupBy(after, (op) => String(Math.floor((op.start - injectedAt) / bucketMs)));
  let runStart: number | undefined;
  let runLength = 0;
  for (const bucket of [...buckets.keys()].map(Number).sort((a, b) => a - b)) {
    if (errorRate(buckets.get(String(bucket))!) > threshold) {
      runStart = undefined;
      runLength = 0;
      continue;
    }
    runStart ??= bucket;
    if (++runLength >= stableBuckets) return runStart * bucketMs;
  }
  return null;
}

type Aspect = 'writes' | 'reads' | 'errorRate';

/** What was attempted after the fault and never recovered. */
const neverRecovered = (r: ShardRecovery): Aspect[] => [
  ...(r.writesAttempted > 0 && r.writeRecoveryMs === null ? (['writes'] as const) : []),
  ...(r.readsAttempted > 0 && r.readRecoveryMs === null ? (['reads'] as const) : []),
  ...(r.writesAttempted + r.readsAttempted > 0 && r.errorRateRecoveryMs === null ? (['errorRate'] as const) : []),
];

const UNRECOVERED: Record<Aspect, { what: (r: ShardRecovery) => string; witness: (op: CompletedOperation) => boolean }> = {
  writes: { what: () => 'no write succeeded again', witness: (op) => isWriteKind(op.f) },
  reads: { what: () => 'no read succeeded again', witness: (op) => isReadKind(op.f) },
  errorRate: { what: (r) => `the error rate was not back at ${r.baselineErrorRate.toFixed(3)} for long enough before the run ended`, witness: (op) => op.type !== 'ok' },
};

function violationsOf(r: ShardRecovery, ops: readonly CompletedOperation[], fault: FaultWindow, maxWriteRecoveryMs: number | undefined): Violation[] {
  const where = `${r.shard === null ? 'the system' : `shard ${r.shard}`} after ${fault.kind} on ${fault.target}`;
  const evidence = { fault, recovery: r };
  const lastAfter = (pick: (op: CompletedOperation) => boolean) => ops.filter((op) => op.start >= fault.injectedAt && pick(op)).slice(-1).flatMap(entriesOf);
  // The last such operation after the fault: it still failed (or never succeeded), the run had nothing better.
  const violations: Violation[] = neverRecovered(r).map((aspect) => ({ description: `${where}: ${UNRECOVERED[aspect].what(r)}`, witness: lastAfter(UNRECOVERED[aspect].witness), evidence }));
  if (maxWriteRecoveryMs !== undefined && r.writeRecoveryMs !== null && r.writeRecoveryMs > maxWriteRecoveryMs) {
    const firstOk = ops.filter((op) => op.start >= fault.injectedAt && isWriteKind(op.f) && op.type === 'ok').sort((a, b) => a.end! - b.end!).slice(0, 1);
    violations.push({ description: `${where}: writes took ${r.writeRecoveryMs} ms to recover (limit ${maxWriteRecoveryMs} ms)`, witness: firstOk.flatMap(entriesOf), evidence });
  }
  return violations;
}
