import { completedOperations, type CompletedOperation } from '../history/completed-operations.js';
import type { HistoryEntry } from '../history/operation.js';
import type { SliName } from '../experiments/index.js';

/** An SLI's value over a window, or why there is none. */
export type SliValue = { readonly value: number; readonly operations: number } | { readonly value: null; readonly operations: number; readonly why: string };

/** SLIs this runner can compute from the workload's own records. */
export const SUPPORTED_SLIS: readonly SliName[] = ['errorRate', 'availability', 'p50LatencyMs', 'p95LatencyMs', 'p99LatencyMs', 'throughput', 'staleReadRate', 'edgeStaleRate'];

/** SLIs the runner cannot compute, with the reason (none today); a run that needs one is refused before it starts. */
export const UNSUPPORTED_SLI_REASON: Partial<Record<SliName, string>> = {};

/** The CDN edge's X-Cache values that mean "a copy past its TTL": STALE, and UPDATING (stale while one request refreshes it). */
const STALE_CACHE_STATES = new Set(['STALE', 'UPDATING']);

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
 * - throughput: completed operations per second of the window;
 * - staleReadRate: of the ok profile reads, those that returned a version older than the newest write to that
 *   user acknowledged (to any client) before the read was sent;
 * - edgeStaleRate: of the ok media fetches, those the CDN edge answered from a copy past its TTL (X-Cache
 *   STALE or UPDATING).
 * No operation in the window (for the last two: no read, no fetch): no value (a wait keeps waiting, a stop
 * condition does not fire).
 */
export function measureSli(history: readonly HistoryEntry[], sli: SliName, windowMs: number, nowMs: number): SliValue {
  const unsupported = UNSUPPORTED_SLI_REASON[sli];
  const inWindow = completedOperations(history).filter((op) => op.end !== undefined && op.end > nowMs - windowMs && op.end <= nowMs);
  if (unsupported) return { value: null, operations: inWindow.length, why: unsupported };
  if (sli === 'throughput') return { value: inWindow.length / (windowMs / 1000), operations: inWindow.length };
  if (sli === 'staleReadRate') return staleReadRate(history, inWindow);
  if (sli === 'edgeStaleRate') return share(inWindow.filter((op) => op.f === 'fetch' && op.type === 'ok'), (op) => STALE_CACHE_STATES.has((op.value.cache ?? '').toUpperCase()), 'no media fetch answered in the window');
  if (inWindow.length === 0) return { value: null, operations: 0, why: 'no operation completed in the window' };
  const errors = inWindow.filter((op) => op.type !== 'ok').length / inWindow.length;
  if (sli === 'errorRate') return { value: errors, operations: inWindow.length };
  if (sli === 'availability') return { value: 1 - errors, operations: inWindow.length };
  const latencies = inWindow.filter((op) => op.type === 'ok').map(latencyOf).sort((a, b) => a - b);
  if (latencies.length === 0) return { value: null, operations: inWindow.length, why: 'no operation succeeded in the window' };
  const q = sli === 'p50LatencyMs' ? 0.5 : sli === 'p95LatencyMs' ? 0.95 : 0.99;
  return { value: quantile(latencies, q), operations: inWindow.length };
}

/** The share of `operations` that `isBad` picks, or no value when there are none. */
function share(operations: readonly CompletedOperation[], isBad: (op: CompletedOperation) => boolean, none: string): SliValue {
  if (operations.length === 0) return { value: null, operations: 0, why: none };
  return { value: operations.filter(isBad).length / operations.length, operations: operations.length };
}

/**
 * Reads in the window judged against every acknowledged write of the run: a read is stale when a write to the
 * same user with a higher version had been acknowledged before the read was invoked (a register counts as
 * version 1). Reads that report no version cannot be judged and are left out.
 */
function staleReadRate(history: readonly HistoryEntry[], inWindow: readonly CompletedOperation[]): SliValue {
  const acknowledged = new Map<string, { end: number; version: number }[]>();
  for (const op of completedOperations(history)) {
    if (op.type !== 'ok' || (op.f !== 'register' && op.f !== 'update') || op.value.userId === undefined || op.end === undefined) continue;
    const version = op.value.version ?? (op.f === 'register' ? 1 : undefined);
    if (version === undefined) continue;
    acknowledged.set(op.value.userId, [...(acknowledged.get(op.value.userId) ?? []), { end: op.end, version }]);
  }
  const reads = inWindow.filter((op) => op.f === 'read' && op.type === 'ok' && op.value.userId !== undefined && op.value.version !== undefined);
  return share(
    reads,
    (read) => (acknowledged.get(read.value.userId!) ?? []).some((write) => write.end < read.start && write.version > read.value.version!),
    'no profile read answered in the window',
  );
}
