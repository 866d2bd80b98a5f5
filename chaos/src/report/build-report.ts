import type { CheckResult } from '../checkers/check-result.js';
import type { FaultWindow } from '../checkers/fault-window.js';
import { operationCounts, summarize, type CheckerResults } from '../checkers/run-summary.js';
import type { Experiment } from '../experiments/index.js';
import type { HistoryEntry } from '../history/operation.js';
import type { ProbeResult } from '../runner/probe-result.js';
import type { ChaosReport, ReportAssertion, ReportFault, ReportStep } from './report.model.js';
import { measureSli, SUPPORTED_SLIS } from '../workload/sli.js';
import { timelineOf } from './timeline.js';

export interface ReportInput {
  readonly runId: string;
  readonly name: string;
  readonly file: string;
  readonly experiment: Experiment;
  /** Wall clock of the run's start (the history's 0) and end, ms since the epoch. */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly seed: number;
  readonly topology: string | null;
  readonly entrypoint: string | null;
  readonly history: readonly HistoryEntry[];
  readonly faults: readonly ReportFault[];
  /** Undefined when the run did not get as far as checking. */
  readonly checkers?: CheckerResults;
  /** The asserted checkers' results (turned around where `expect: violated`). */
  readonly asserted: readonly CheckResult[];
  readonly hypothesis: readonly ProbeResult[];
  readonly probes: readonly ProbeResult[];
  readonly steps: readonly ReportStep[];
  readonly stoppedBy: ChaosReport['stoppedBy'];
  /** Why the run could not go on (verdict error). */
  readonly error?: string;
  readonly workload: ChaosReport['workload'];
  readonly notes: readonly string[];
}

const probeRow = (kind: 'hypothesis' | 'probe', p: ProbeResult): ReportAssertion => ({
  name: p.name,
  kind,
  passed: p.passed === true,
  observed: p.detail ? { value: p.observed, detail: p.detail } : p.observed,
  expected: p.expected,
  violationCount: p.passed === false ? 1 : 0,
  violations: [],
});

export const faultWindowOf = (f: ReportFault): FaultWindow => ({
  kind: f.kind,
  target: f.target,
  injectedAt: f.injectedAt,
  ...(f.healedAt !== null && { healedAt: f.healedAt }),
  ...(f.shards && { shards: f.shards }),
});

/**
 * report.json from what the run gathered. The verdict passes when the run completed, something was judged,
 * and everything judged held: the asserted checkers, the steady-state probes before and after, the method's
 * probes with a tolerance — and no stop condition fired.
 */
export function buildReport(input: ReportInput): ChaosReport {
  const windows = input.faults.map(faultWindowOf);
  const all = input.checkers ? summarize(input.history, input.checkers, windows) : undefined;
  const asserted = summarize(input.history, { others: input.asserted }, windows);
  const assertions: ReportAssertion[] = [
    ...input.hypothesis.map((p) => probeRow('hypothesis', p)),
    ...input.probes.filter((p) => p.passed !== null).map((p) => probeRow('probe', p)),
    ...asserted.assertions.map((a): ReportAssertion => ({ ...a, kind: 'check' })),
    ...(input.stoppedBy
      ? [{ name: 'stop conditions', kind: 'stop-condition' as const, passed: false, observed: input.stoppedBy, expected: 'no stop condition reached', violationCount: 1, violations: [] }]
      : []),
  ];
  const judged = assertions.length > 0;
  const verdict = input.error !== undefined ? 'error' : judged && assertions.every((a) => a.passed) && input.checkers !== undefined ? 'pass' : 'fail';
  const e = input.experiment;
  return {
    formatVersion: 1,
    runId: input.runId,
    experiment: { name: input.name, title: e.title, description: e.description, lesson: e.lesson, file: input.file, profile: e.profile, tags: e.tags },
    verdict,
    reason: input.error ?? (verdict === 'fail' ? failureReason(assertions, judged, input.checkers !== undefined) : null),
    startedAt: new Date(input.startedAtMs).toISOString(),
    endedAt: new Date(input.endedAtMs).toISOString(),
    durationSeconds: Math.round((input.endedAtMs - input.startedAtMs) / 100) / 10,
    seed: input.seed,
    topology: input.topology,
    entrypoint: input.entrypoint,
    faults: input.faults,
    assertions,
    recoverySeconds: all?.recoverySeconds ?? null,
    lostAcknowledgedWrites: all?.lostAcknowledgedWrites ?? null,
    duplicates: all?.duplicates ?? null,
    splitBrain: all?.splitBrain ?? null,
    budgetSpent: all?.budgetSpent ?? null,
    operations: operationCounts(input.history),
    workload: input.workload,
    steps: input.steps,
    probes: input.probes,
    stoppedBy: input.stoppedBy,
    checkers: Object.fromEntries(
      Object.values(input.checkers ?? {})
        .flat()
        .filter((r): r is CheckResult => r !== undefined && 'name' in r)
        .map((r) => [r.name, { passed: r.passed, observed: r.observed, violationCount: r.violations.length }]),
    ),
    timeline: timelineOf(input.history),
    slis: wholeRunSlis(input.history),
    notes: input.notes,
  };
}

/** Every SLI over the whole history: a window from its start to its last entry. */
function wholeRunSlis(history: readonly HistoryEntry[]): ChaosReport['slis'] {
  const end = history.at(-1)?.time ?? 0;
  return Object.fromEntries(
    SUPPORTED_SLIS.map((sli) => {
      const { value, operations } = measureSli(history, sli, end + 1, end);
      return [sli, { value, operations }];
    }),
  ) as ChaosReport['slis'];
}

function failureReason(assertions: readonly ReportAssertion[], judged: boolean, checked: boolean): string {
  if (!judged) return 'nothing was judged: the experiment has no assertion, steady-state probe or probe with a tolerance';
  const failed = assertions.filter((a) => !a.passed).map((a) => a.name);
  if (failed.length > 0) return `failed: ${failed.join('; ')}`;
  return checked ? 'failed' : 'the run ended before its checks';
}
