import { completedOperations, type CompletedOperation } from '../history/completed-operations.js';
import type { HistoryEntry } from '../history/operation.js';
import type { SliName } from '../experiments/index.js';

/** An SLI's value over a window, or why there is none. */
export type SliValue = { readonly value: number; readonly operations: number } | { readonly value: null; readonly operations: number; readonly why: string };

/** SLIs this runner can compute from the workload's own records; the others need data it does not collect yet. */
export const SUPPORTED_SLIS: readonly SliName[] = ['errorRate', 'availability', 'p50LatencyMs', 'p95LatencyMs', 'p99LatencyMs', 'throughput'];

export const UNSUPPORTED_SLI_REASON: Partial<Record<SliName, string>> = {
  staleReadRate: 'staleReadRate is not supported yet: the runner does not compare each read with the last acknowledged write of other clients',
  edgeStaleRate: 'edgeStaleRate is not supported yet: the workload does not read media through the CDN edge',
};

/** The q-quantile (0..1) of sorted numbers, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const latencyOf = (op: CompletedOperation): number => (op.end ?? op.start) - op.start;

/**
 * An SLI over the operations that completed in (now − window, now], on the history's clock:
 * - errorRate: fail and info over all completed (a timeout is unavailability to the user); availability: 1 − that;
 * - pNNLatencyMs: of the ok operations;
 * - throughput: completed operations per second of the window.
 * No operation in the window: no value (a wait keeps waiting, a stop condition does not fire).
 */
export function measureSli(history: readonly HistoryEntry[], sli: SliName, windowMs: number, nowMs: number): SliValue {
  const unsupported = UNSUPPORTED_SLI_REASON[sli];
  const inWindow = completedOperations(history).filter((op) => op.end !== undefined && op.end > nowMs - windowMs && op.end <= nowMs);
  if (unsupported) return { value: null, operations: inWindow.length, why: unsupported };
  if (sli === 'throughput') return { value: inWindow.length / (windowMs / 1000), operations: inWindow.length };
  if (inWindow.length === 0) return { value: null, operations: 0, why: 'no operation completed in the window' };
  const errors = inWindow.filter((op) => op.type !== 'ok').length / inWindow.length;
  if (sli === 'errorRate') return { value: errors, operations: inWindow.length };
  if (sli === 'availability') return { value: 1 - errors, operations: inWindow.length };
  const latencies = inWindow.filter((op) => op.type === 'ok').map(latencyOf).sort((a, b) => a - b);
  if (latencies.length === 0) return { value: null, operations: inWindow.length, why: 'no operation succeeded in the window' };
  const q = sli === 'p50LatencyMs' ? 0.5 : sli === 'p95LatencyMs' ? 0.95 : 0.99;
  return { value: quantile(latencies, q), operations: inWindow.length };
}
