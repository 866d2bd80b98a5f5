import type { HistoryEntry } from '../history/operation.js';
import { checkDuplicates } from './duplicates.checker.js';
import { checkErrorBudget, type InfoCounting } from './error-budget.checker.js';
import type { FaultWindow } from './fault-window.js';
import { checkLostJobs } from './lost-jobs.checker.js';
import { checkLostWrites } from './lost-writes.checker.js';
import { checkProjectionReplay } from './projection-replay.checker.js';
import type { ProjectionDefinition } from './projection.js';
import { checkRecovery, type RecoveryInput } from './recovery.checker.js';
import type { CheckerResults } from './run-summary.js';
import { checkSessionConsistency, type SessionGuarantee } from './session-consistency.checker.js';
import { checkSplitBrain } from './split-brain.checker.js';
import type { StoreSnapshot } from './store-snapshot.js';
import { checkStreamVersions } from './stream-versions.checker.js';
import type { WriteLocator } from './write-locator.js';

export interface RunCheckInput {
  readonly history: readonly HistoryEntry[];
  readonly snapshot: StoreSnapshot;
  readonly faults: readonly FaultWindow[];
  readonly sloTarget: number;
  readonly infoCounting?: InfoCounting;
  readonly sessionFailOn?: readonly SessionGuarantee[];
  /** Bucket width, baseline, tolerance, stable buckets, write-recovery limit: see RecoveryInput. */
  readonly recovery?: Omit<RecoveryInput, 'history' | 'faults'>;
  readonly locate?: WriteLocator;
  readonly projections?: readonly ProjectionDefinition[];
  /** Also run the lost-jobs checker: for runs that collect the mail sink and give their jobs time to complete. */
  readonly jobs?: boolean;
}

/** Every checker on one run, with the experiment's settings; feed the result to `summarize`. */
export function checkRun(input: RunCheckInput): CheckerResults {
  const { history, snapshot, faults } = input;
  const locate = input.locate && { locate: input.locate };
  return {
    lostWrites: checkLostWrites({ history, snapshot, ...locate }),
    duplicates: checkDuplicates({ history, snapshot, ...locate }),
    streamVersions: checkStreamVersions({ snapshot, history }),
    projections: checkProjectionReplay({ snapshot, ...(input.projections && { projections: input.projections }) }),
    sessionConsistency: checkSessionConsistency({ history, ...(input.sessionFailOn && { failOn: input.sessionFailOn }) }),
    splitBrain: checkSplitBrain({ windows: snapshot.writeWindows, history }),
    recovery: checkRecovery({ ...input.recovery, history, faults }),
    errorBudget: checkErrorBudget({ history, sloTarget: input.sloTarget, ...(input.infoCounting && { info: input.infoCounting }) }),
    ...(input.jobs === true && { lostJobs: checkLostJobs({ history, snapshot, ...locate }) }),
  };
}
