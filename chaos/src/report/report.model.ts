import type { Violation } from '../checkers/check-result.js';
import type { OperationCounts } from '../checkers/run-summary.js';
import type { SliName } from '../experiments/index.js';
import type { ProbeResult } from '../runner/probe-result.js';
import type { TimelinePoint } from './timeline.js';

/** A fault of the run; times in ms since run start (the history's clock), with the wall-clock times beside them. */
export interface ReportFault {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly target: string;
  readonly injectedAt: number;
  readonly healedAt: number | null;
  readonly injectedAtIso: string;
  readonly healedAtIso: string | null;
  /** The shards it affects; null: the whole system. */
  readonly shards: readonly number[] | null;
}

/** A row of the assertions table: a checker, a steady-state probe, a probe of the method, the stop conditions. */
export interface ReportAssertion {
  readonly name: string;
  readonly kind: 'check' | 'hypothesis' | 'probe' | 'stop-condition';
  readonly passed: boolean;
  readonly observed: unknown;
  readonly expected: string;
  readonly violationCount: number;
  readonly violations: readonly Violation[];
}

/** A step of the method or the rollbacks as it ran. */
export interface ReportStep {
  readonly phase: 'method' | 'rollback';
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: 'done' | 'failed' | 'skipped';
  readonly detail?: string;
}

/** report.json. Fields are only ever added, never renamed. */
export interface ChaosReport {
  readonly formatVersion: 1;
  readonly runId: string;
  readonly experiment: {
    readonly name: string;
    readonly title: string;
    readonly description: string;
    readonly lesson: string;
    readonly file: string;
    readonly profile: string;
    readonly tags: readonly string[];
  };
  /** `error`: the experiment could not run to its end (exit code 2); `reason` says why. */
  readonly verdict: 'pass' | 'fail' | 'error';
  readonly reason: string | null;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationSeconds: number;
  readonly seed: number;
  readonly topology: string | null;
  readonly entrypoint: string | null;
  readonly faults: readonly ReportFault[];
  readonly assertions: readonly ReportAssertion[];
  /** The longest write recovery among the affected shards, in seconds; null when some shard never recovered or nothing was measured. */
  readonly recoverySeconds: number | null;
  readonly lostAcknowledgedWrites: number | null;
  readonly duplicates: number | null;
  readonly splitBrain: number | null;
  readonly budgetSpent: number | null;
  readonly operations: OperationCounts;
  readonly workload: {
    readonly clients: number;
    readonly ratePerSecond: number;
    readonly mix: Readonly<Record<string, number>>;
    readonly operationTimeoutMs: number;
    readonly missedTicks: number;
  };
  readonly steps: readonly ReportStep[];
  readonly probes: readonly ProbeResult[];
  /** The stop condition that aborted the method, if one did. */
  readonly stoppedBy: { readonly condition: string; readonly at: number; readonly observed: number } | null;
  /** Every checker's counts, asserted or not, by checker name. */
  readonly checkers: Readonly<Record<string, { readonly passed: boolean; readonly observed: unknown; readonly violationCount: number }>>;
  readonly timeline: readonly TimelinePoint[];
  /**
   * Every SLI over the whole run (from the first to the last entry of the history): value null when nothing it
   * measures happened (no media fetch for edgeStaleRate), with the number of operations it was measured on.
   */
  readonly slis: Readonly<Record<SliName, { readonly value: number | null; readonly operations: number }>>;
  /** How some numbers were obtained, where that is an approximation. */
  readonly notes: readonly string[];
}
