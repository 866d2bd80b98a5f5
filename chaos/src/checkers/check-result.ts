import type { HistoryEntry } from '../history/operation.js';

/**
 * One anomaly and the smallest proof of it: the history entries (invokes and completions) that show it,
 * and, where the proof lies in the store rather than in the history, the rows that show it (`evidence`).
 */
export interface Violation {
  readonly description: string;
  readonly witness: readonly HistoryEntry[];
  /** JSON-serialisable: it goes into report.json as is. */
  readonly evidence?: unknown;
}

/**
 * What every checker returns. `observed` holds the checker's counts (typed per checker); `expected` says in
 * words what a pass means. A checker may pass with violations listed when they are expected by design
 * (session anomalies under some faults): reported, never hidden.
 */
export interface CheckResult<Observed = Readonly<Record<string, unknown>>> {
  readonly name: string;
  readonly passed: boolean;
  readonly observed: Observed;
  readonly expected: string;
  readonly violations: readonly Violation[];
}

/** Every checker's name, as it appears in report.json's assertions. */
export const CHECKS = {
  lostWrites: 'lost-acknowledged-writes',
  duplicates: 'duplicated-effects',
  streamVersions: 'stream-versions',
  projections: 'projections-match-replay',
  sessionConsistency: 'session-consistency',
  splitBrain: 'split-brain',
  recovery: 'recovery',
  errorBudget: 'error-budget',
  lostJobs: 'lost-jobs',
} as const;
