import { completedOperations, entriesOf, type CompletedOperation } from '../history/completed-operations.js';
import type { HistoryEntry } from '../history/operation.js';
import { CHECKS, type CheckResult } from './check-result.js';
import { CheckerOptionsInvalidError } from './checker.errors.js';

/**
 * How indefinite (info) operations count against the budget:
 * - 'exclude' (default): neither success nor failure — left out of the total, since whether they happened is
 *   unknown; a run full of timeouts shows up in recovery and in the info count instead;
 * - 'failure': a timeout is what the user saw, so it spends budget;
 * - 'success': only certain failures count (the most lenient reading).
 */
export type InfoCounting = 'exclude' | 'failure' | 'success';

export interface ErrorBudgetInput {
  readonly history: readonly HistoryEntry[];
  /** The share of operations that must succeed, e.g. 0.999; strictly between 0 and 1. */
  readonly sloTarget: number;
  readonly info?: InfoCounting;
  /** Which failures count; default all (a workload that provokes refusals on purpose excludes them here). */
  readonly countsAgainstBudget?: (op: CompletedOperation) => boolean;
  /** The share of the budget the run may spend; default 1 (all of it). */
  readonly maxSpent?: number;
}

export interface ErrorBudgetObserved {
  readonly operations: number;
  readonly failed: number;
  readonly indefinite: number;
  readonly allowedFailures: number;
  /** Failed ÷ allowed failures: 1 is the whole budget. */
  readonly budgetSpent: number;
}

/** Failures shown as the witness of an overspent budget: the first ones (all would be the whole run). */
const WITNESS_FAILURES = 10;

/**
 * (h) The error budget the run spent: with an SLO of `sloTarget` over the run, the operations may fail
 * (1 − sloTarget) × total times; the share of that the run's failures used. An empty run spends nothing.
 */
export function checkErrorBudget({ history, sloTarget, info = 'exclude', countsAgainstBudget = () => true, maxSpent = 1 }: ErrorBudgetInput): CheckResult<ErrorBudgetObserved> {
  if (!(sloTarget > 0 && sloTarget < 1)) throw new CheckerOptionsInvalidError(CHECKS.errorBudget, 'sloTarget', `must be between 0 and 1 (exclusive), not ${sloTarget}`);
  const operations = completedOperations(history);
  const indefinite = operations.filter((op) => op.type === 'info');
  const counted = info === 'exclude' ? operations.filter((op) => op.type !== 'info') : operations;
  const failures = counted.filter((op) => (op.type === 'fail' || (op.type === 'info' && info === 'failure')) && countsAgainstBudget(op));
  const allowedFailures = (1 - sloTarget) * counted.length;
  const budgetSpent = counted.length === 0 ? 0 : failures.length / allowedFailures;
  const passed = budgetSpent <= maxSpent;
  return {
    name: CHECKS.errorBudget,
    passed,
    observed: { operations: counted.length, failed: failures.length, indefinite: indefinite.length, allowedFailures, budgetSpent },
    expected: `at most ${maxSpent * 100}% of the error budget of a ${sloTarget * 100}% SLO spent (info ops: ${info})`,
    violations: passed
      ? []
      : [
          {
            description: `${failures.length} failures spent ${(budgetSpent * 100).toFixed(1)}% of an error budget of ${allowedFailures.toFixed(1)} failures`,
            witness: failures.slice(0, WITNESS_FAILURES).flatMap(entriesOf),
            evidence: { failed: failures.length, allowedFailures },
          },
        ],
  };
}
