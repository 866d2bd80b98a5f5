import { completedOperations } from '../history/completed-operations.js';
import { OPERATION_KINDS, type CompletionType, type HistoryEntry, type OperationKind } from '../history/operation.js';
import type { CheckResult, Violation } from './check-result.js';
import type { DuplicatesObserved } from './duplicates.checker.js';
import type { ErrorBudgetObserved } from './error-budget.checker.js';
import type { LostJobsObserved } from './lost-jobs.checker.js';
import type { FaultWindow } from './fault-window.js';
import type { LostWritesObserved } from './lost-writes.checker.js';
import type { ProjectionReplayObserved } from './projection-replay.checker.js';
import type { RecoveryObserved } from './recovery.checker.js';
import type { SessionConsistencyObserved } from './session-consistency.checker.js';
import type { SplitBrainObserved } from './split-brain.checker.js';
import type { StreamVersionsObserved } from './stream-versions.checker.js';

/** The checkers' results, by checker; a checker that was not run is left out (and its report field is null). */
export interface CheckerResults {
  readonly lostWrites?: CheckResult<LostWritesObserved>;
  readonly duplicates?: CheckResult<DuplicatesObserved>;
  readonly streamVersions?: CheckResult<StreamVersionsObserved>;
  readonly projections?: CheckResult<ProjectionReplayObserved>;
  readonly sessionConsistency?: CheckResult<SessionConsistencyObserved>;
  readonly splitBrain?: CheckResult<SplitBrainObserved>;
  readonly recovery?: CheckResult<RecoveryObserved>;
  readonly errorBudget?: CheckResult<ErrorBudgetObserved>;
  readonly lostJobs?: CheckResult<LostJobsObserved>;
  /** Whatever else the experiment asserts. */
  readonly others?: readonly CheckResult[];
}

export interface Assertion {
  readonly name: string;
  readonly passed: boolean;
  readonly observed: unknown;
  readonly expected: string;
  readonly violationCount: number;
  /** The first violations with their witnesses (see SummaryOptions). */
  readonly violations: readonly Violation[];
}

type CountsByType = Record<CompletionType, number>;

export interface OperationCounts extends CountsByType {
  readonly total: number;
  readonly byF: Readonly<Record<OperationKind, CountsByType>>;
}

/** report.json's verdict part. Times are ms since run start; a null count means the checker was not run. */
export interface RunSummary {
  readonly verdict: 'pass' | 'fail';
  readonly faults: readonly { readonly kind: string; readonly target: string; readonly injectedAt: number; readonly healedAt: number | null }[];
  readonly assertions: readonly Assertion[];
  /** The longest write recovery among the affected shards; null when one never recovered or nothing was measured. */
  readonly recoverySeconds: number | null;
  readonly lostAcknowledgedWrites: number | null;
  readonly duplicates: number | null;
  /** Overlapping write windows of two nodes of one shard. */
  readonly splitBrain: number | null;
  /** 1 is the whole budget. */
  readonly budgetSpent: number | null;
  readonly operations: OperationCounts;
}

export interface SummaryOptions {
  /** Violations kept per assertion in the report (all are counted); default 20. */
  readonly violationsPerAssertion?: number;
}

/**
 * Builds the report's verdict from the history, the checkers' results and the faults. The run passes when
 * at least one assertion was made and every one passed: a run that checked nothing proves nothing.
 */
export function summarize(history: readonly HistoryEntry[], results: CheckerResults, faults: readonly FaultWindow[], options: SummaryOptions = {}): RunSummary {
  const { others = [], ...checkers } = results;
  const all = [...Object.values(checkers), ...others].filter((result) => result !== undefined);
  const keep = options.violationsPerAssertion ?? 20;
  const longest = results.recovery?.observed.longestWriteRecoveryMs;
  return {
    verdict: all.length > 0 && all.every((result) => result.passed) ? 'pass' : 'fail',
    faults: faults.map(({ kind, target, injectedAt, healedAt }) => ({ kind, target, injectedAt, healedAt: healedAt ?? null })),
    assertions: all.map(({ name, passed, observed, expected, violations }) => ({ name, passed, observed, expected, violationCount: violations.length, violations: violations.slice(0, keep) })),
    recoverySeconds: longest === undefined || longest === null ? null : longest / 1000,
    lostAcknowledgedWrites: results.lostWrites?.violations.length ?? null,
    duplicates: results.duplicates?.violations.length ?? null,
    splitBrain: results.splitBrain?.observed.overlaps ?? null,
    budgetSpent: results.errorBudget?.observed.budgetSpent ?? null,
    operations: operationCounts(history),
  };
}

/** Operations by outcome, overall and per kind (an operation the run ended without completing counts as info). */
export function operationCounts(history: readonly HistoryEntry[]): OperationCounts {
  const zero = (): CountsByType => ({ ok: 0, fail: 0, info: 0 });
  const totals = zero();
  const byF = Object.fromEntries(OPERATION_KINDS.map((f) => [f, zero()])) as Record<OperationKind, CountsByType>;
  const operations = completedOperations(history);
  for (const { f, type } of operations) {
    totals[type]++;
    byF[f][type]++;
  }
  return { total: operations.length, ...totals, byF };
}
