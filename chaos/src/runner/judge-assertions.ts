import type { CheckResult } from '../checkers/check-result.js';
import { checkErrorBudget } from '../checkers/error-budget.checker.js';
import { checkRun } from '../checkers/check-run.js';
import type { FaultWindow } from '../checkers/fault-window.js';
import type { CheckerResults } from '../checkers/run-summary.js';
import type { StoreSnapshot } from '../checkers/store-snapshot.js';
import type { AssertionCheckName, ExperimentAssertion } from '../experiments/index.js';
import type { HistoryEntry } from '../history/operation.js';

/** Which checker answers which assertion of the experiment format. */
export const CHECKER_OF: Readonly<Partial<Record<AssertionCheckName, keyof Omit<CheckerResults, 'others'>>>> = {
  noLostAcknowledgedWrites: 'lostWrites',
  noDuplicates: 'duplicates',
  versionsGapless: 'streamVersions',
  projectionsConverge: 'projections',
  noSplitBrain: 'splitBrain',
  readYourWrites: 'sessionConsistency',
  recoveryWithin: 'recovery',
  errorBudget: 'errorBudget',
  noLostJobs: 'lostJobs',
};

/** The SLO the error budget is measured against when the experiment asserts none (report field budgetSpent). */
export const DEFAULT_SLO_TARGET = 0.99;

/**
 * Runs every checker with the settings the experiment's assertions give (recoveryWithin's limit, readYourWrites'
 * failOn, errorBudget's target and share): the report shows every checker's findings, asserted or not.
 */
export function runCheckers(input: { history: readonly HistoryEntry[]; snapshot: StoreSnapshot; faults: readonly FaultWindow[]; assertions: readonly ExperimentAssertion[] }): CheckerResults {
  const find = <C extends AssertionCheckName>(check: C) => input.assertions.find((a): a is Extract<ExperimentAssertion, { check: C }> => a.check === check);
  const recovery = find('recoveryWithin');
  const ryw = find('readYourWrites');
  const budget = find('errorBudget');
  const results = checkRun({
    history: input.history,
    snapshot: input.snapshot,
    faults: input.faults,
    sloTarget: budget?.target ?? DEFAULT_SLO_TARGET,
    sessionFailOn: ryw?.failOn ? ['read-your-writes'] : [],
    // Jobs finish after the writes that caused them: judged only when asserted (the runner then waits for them).
    jobs: find('noLostJobs') !== undefined,
    ...(recovery && { recovery: { maxWriteRecoveryMs: recovery.seconds * 1000 } }),
  });
  if (!budget) return results;
  const covered = budget.operations === undefined ? undefined : new Set<string>(budget.operations);
  const history = covered === undefined ? input.history : input.history.filter((entry) => covered.has(entry.f));
  const checked = checkErrorBudget({ history, sloTarget: budget.target, maxSpent: budget.maxSpent });
  const scope = covered === undefined ? '' : ` (${[...covered].join(', ')} only)`;
  return { ...results, errorBudget: { ...checked, expected: checked.expected + scope } };
}

/**
 * The checker results the verdict is made of: only the asserted ones, each turned around when the experiment
 * expects it `violated` (its lesson is the failure itself: it passes when the checker found violations).
 */
export function assertedResults(results: CheckerResults, assertions: readonly ExperimentAssertion[]): CheckResult[] {
  return assertions.flatMap((assertion): CheckResult[] => {
    const key = CHECKER_OF[assertion.check];
    const result = key ? (results[key] as CheckResult | undefined) : undefined;
    if (!result) return [];
    const name = `${assertion.check} (${result.name})`;
    if (assertion.expect === 'holds') return [{ ...result, name }];
    return [{ ...result, name: `${name}, expected violated`, passed: !result.passed, expected: `violated: NOT ${result.expected}` }];
  });
}
