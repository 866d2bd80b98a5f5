import { describe, expect, it } from '@jest/globals';
import { buildHistory, type OperationSpec } from '../history/history.builder.js';
import type { CompletionType } from '../history/operation.js';
import { checkErrorBudget } from './error-budget.checker.js';

/** `count` reads in a row on one process, with the given outcome. */
const reads = (count: number, type: CompletionType, from = 0): OperationSpec[] =>
  Array.from({ length: count }, (_, i) => ({ process: 0, f: 'read', start: from + i * 10, end: from + i * 10 + 5, type }));

describe('checkErrorBudget', () => {
  it('passes a run whose failures stay within the budget, and reports the share spent', () => {
    // 99 % over 200 operations allows 2 failures; 1 spent half.
    const result = checkErrorBudget({ history: buildHistory([...reads(199, 'ok'), ...reads(1, 'fail', 5000)]), sloTarget: 0.99 });
    expect(result).toMatchObject({ name: 'error-budget', passed: true, violations: [] });
    expect(result.observed).toMatchObject({ operations: 200, failed: 1, indefinite: 0 });
    expect(result.observed.allowedFailures).toBeCloseTo(2);
    expect(result.observed.budgetSpent).toBeCloseTo(0.5);
  });

  it('fails a run that overspends, with the first failures as witness', () => {
    const history = buildHistory([...reads(97, 'ok'), ...reads(3, 'fail', 5000)]);
    const result = checkErrorBudget({ history, sloTarget: 0.99 });
    expect(result.passed).toBe(false);
    expect(result.observed.budgetSpent).toBeCloseTo(3);
    expect(result.violations[0]!.witness).toEqual(history.slice(-6));
  });

  it('leaves indefinite operations out by default, and counts them as failures when asked', () => {
    const history = buildHistory([...reads(98, 'ok'), ...reads(2, 'info', 5000)]);
    const excluded = checkErrorBudget({ history, sloTarget: 0.99 });
    expect(excluded.observed).toMatchObject({ operations: 98, failed: 0, indefinite: 2, budgetSpent: 0 });
    const asFailures = checkErrorBudget({ history, sloTarget: 0.99, info: 'failure' });
    expect(asFailures.observed).toMatchObject({ operations: 100, failed: 2 });
    expect(asFailures.observed.budgetSpent).toBeCloseTo(2);
    expect(asFailures.passed).toBe(false);
  });

  it('counts only the failures the workload says count', () => {
    const history = buildHistory([...reads(97, 'ok'), { process: 1, f: 'register', start: 0, end: 5, type: 'fail', error: { code: 'EMAIL_TAKEN' } }]);
    const result = checkErrorBudget({ history, sloTarget: 0.99, countsAgainstBudget: (op) => op.error?.code !== 'EMAIL_TAKEN' });
    expect(result.observed.failed).toBe(0);
  });

  it('spends nothing in an empty run', () => {
    expect(checkErrorBudget({ history: [], sloTarget: 0.999 }).observed.budgetSpent).toBe(0);
  });

  it.each([1, 0, 1.5, Number.NaN])('refuses an SLO target of %p', (sloTarget) => {
    expect(() => checkErrorBudget({ history: [], sloTarget })).toThrow(expect.objectContaining({ code: 'CHECKER_OPTIONS_INVALID' }));
  });
});
