// The chaos module: fault drivers, the fault ledger, experiments, workloads and checkers (issue 6).
// Apps (the CLI, the dashboard) import it as `#chaos`; it imports `#libs/*`; nothing in libs imports it.
export {};

// --- experiments as documents (chaos/src/experiments; catalogue in chaos/experiments/) ---
export * from './experiments/index.js';
// --- end experiments ---

// --- workload history and checkers (chaos/src/history, chaos/src/checkers) ---
export { OPERATION_KINDS, READ_KINDS, WRITE_KINDS, historyEntrySchema, isReadKind, isWriteKind, operationErrorSchema, operationValueSchema } from './history/operation.js';
export type { CompletionEntry, CompletionType, EntryWithout, HistoryEntry, InvokeEntry, OperationError, OperationKind, OperationValue } from './history/operation.js';
export { completedOperations, entriesOf, type CompletedOperation } from './history/completed-operations.js';
export { parseHistory, serializeHistory } from './history/history.jsonl.js';
export { buildHistory, type OperationSpec } from './history/history.builder.js';
export { HistoryRecorder, monotonicClock, type PendingOperation } from './history/history.recorder.js';
export { HistoryInvalidError, isHistoryInvalidError } from './history/history.errors.js';
export { CHECKS, type CheckResult, type Violation } from './checkers/check-result.js';
export { CheckerOptionsInvalidError, isCheckerOptionsInvalidError } from './checkers/checker.errors.js';
export type { MailRow, MediaItemRow, NodeWriteWindow, ShardSnapshot, StoreSnapshot, StoredEvent, UserProfileRow } from './checkers/store-snapshot.js';
export type { FaultWindow } from './checkers/fault-window.js';
export { foldStream, streamKey, type ProjectionDefinition, type ProjectionRow } from './checkers/projection.js';
export { foldUserProfile, userProfileProjection } from './checkers/user-profile.projection.js';
export { foldMediaItem, mediaItemProjection } from './checkers/media-item.projection.js';
export { locateWorkloadWrite, type WriteExpectation, type WriteLocator } from './checkers/write-locator.js';
export { checkLostWrites, type LostWritesInput, type LostWritesObserved } from './checkers/lost-writes.checker.js';
export { SINGLETON_EVENT_TYPES, checkDuplicates, type DuplicatesInput, type DuplicatesObserved } from './checkers/duplicates.checker.js';
export { checkStreamVersions, type StreamVersionsInput, type StreamVersionsObserved } from './checkers/stream-versions.checker.js';
export { DEFAULT_PROJECTIONS, checkProjectionReplay, type ProjectionReplayInput, type ProjectionReplayObserved } from './checkers/projection-replay.checker.js';
export {
  NOT_FOUND_CODES,
  checkSessionConsistency,
  type SessionConsistencyInput,
  type SessionConsistencyObserved,
  type SessionGuarantee,
} from './checkers/session-consistency.checker.js';
export { checkSplitBrain, writeWindowsOf, type NodeWrite, type SplitBrainInput, type SplitBrainObserved } from './checkers/split-brain.checker.js';
export { checkRecovery, type RecoveryInput, type RecoveryObserved, type ShardRecovery } from './checkers/recovery.checker.js';
export { checkLostJobs, type JobCounts, type JobKind, type LostJobsInput, type LostJobsObserved } from './checkers/lost-jobs.checker.js';
export { checkErrorBudget, type ErrorBudgetInput, type ErrorBudgetObserved, type InfoCounting } from './checkers/error-budget.checker.js';
export { operationCounts, summarize, type Assertion, type CheckerResults, type OperationCounts, type RunSummary, type SummaryOptions } from './checkers/run-summary.js';
export { checkRun, type RunCheckInput } from './checkers/check-run.js';
// --- end workload history and checkers ---

// --- faults and the fault ledger ---
export * from './faults/fault-spec.js';
export { FaultService, type HealReason, type InjectOptions } from './faults/fault-service.js';
export { FaultNotFoundError, FaultTargetError, isFaultNotFoundError, isFaultTargetError } from './faults/fault.errors.js';
export { LINK_SELECTOR_HELP, parseLinkSelector, partitionLinks, resolveLinks } from './faults/link-selector.js';
export { latencyFault, linkFaultLabel, partitionFault, type FaultRequest } from './faults/fault-requests.js';
export { asyncReplicationFault, setReplicationQuorum } from './faults/async-replication.js';
export { toxicName, toxicsFor } from './faults/toxics/registry.js';
export { FaultLedger } from './ledger/fault-ledger.js';
export type { FaultHistoryLine, FaultOwner, FaultRecord } from './ledger/fault-record.js';
export { orphanReason, type OrphanReason } from './ledger/orphans.js';

// --- chaos run: workload, runner, report (chaos/src/workload, chaos/src/runner, chaos/src/report) ---
export { mulberry32, deriveSeed, type Random } from './workload/prng.js';
export { createOperationGenerator, type OperationMix } from './workload/operation-generator.js';
export { classifyAnswer, classifyRequestError, type Outcome } from './workload/outcome.js';
export { measureSli, SUPPORTED_SLIS, type SliValue } from './workload/sli.js';
export { Workload, DEFAULT_OPERATION_TIMEOUT_MS, type WorkloadOptions, type WorkloadStats } from './workload/workload.js';
export { runChaosExperiment, type ChaosRunOptions, type ChaosRunResult, type RunProgress } from './runner/experiment-runner.js';
export { ExperimentCannotRunError, ExperimentUnsupportedError, isExperimentCannotRunError, isExperimentUnsupportedError } from './runner/run.errors.js';
export { unsupportedParts } from './runner/unsupported-parts.js';
export type { ProbeResult } from './runner/probe-result.js';
export type { ChaosReport, ReportAssertion, ReportFault, ReportStep } from './report/report.model.js';
export { buildReport, type ReportInput } from './report/build-report.js';
export { renderReportHtml } from './report/report-html.js';
export { renderJunitXml } from './report/junit-xml.js';
export { timelineOf, type TimelinePoint } from './report/timeline.js';
// --- end chaos run ---
