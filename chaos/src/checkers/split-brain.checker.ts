import { completedOperations, entriesOf } from '../history/completed-operations.js';
import { isWriteKind, type HistoryEntry } from '../history/operation.js';
import { CHECKS, type CheckResult, type Violation } from './check-result.js';
import { groupBy } from './group-by.js';
import type { NodeWriteWindow } from './store-snapshot.js';

export interface SplitBrainInput {
  readonly windows: readonly NodeWriteWindow[];
  /** For witnesses: acknowledged writes on the shard during the overlap. */
  readonly history?: readonly HistoryEntry[];
  /** Overlaps up to this long are not counted (clock granularity of the windows' sources); default 0. */
  readonly toleranceMs?: number;
}

export interface SplitBrainObserved {
  readonly shards: number;
  readonly windows: number;
  readonly overlaps: number;
  readonly longestOverlapMs: number;
}

/** A node's commit time, for `writeWindowsOf`. */
export interface NodeWrite {
  readonly shard: number;
  readonly node: string;
  readonly at: number;
}

/**
 * Per-node write windows from raw commit times: one window per run of writes with no pause longer than
 * `maxGapMs` (default: never split, one window per node). Split where a node stopped being primary and
 * became it again later, or its two terms look like one that overlaps everything in between.
 */
export function writeWindowsOf(writes: readonly NodeWrite[], maxGapMs = Number.POSITIVE_INFINITY): NodeWriteWindow[] {
  const windows: NodeWriteWindow[] = [];
  for (const nodeWrites of groupBy(writes, (w) => `${w.shard}/${w.node}`).values()) {
    const times = nodeWrites.map((w) => w.at).sort((a, b) => a - b);
    const { shard, node } = nodeWrites[0]!;
    let from = times[0]!;
    times.forEach((at, i) => {
      const next = times[i + 1];
      if (next !== undefined && next - at <= maxGapMs) return;
      windows.push({ shard, node, acceptedWritesFrom: from, acceptedWritesUntil: at });
      if (next !== undefined) from = next;
    });
  }
  return windows;
}

/**
 * (f) Split brain: two nodes of one shard accepting writes in overlapping time. Each overlapping pair of
 * windows is a violation; its evidence is the two windows and the overlap, its witness (given the history)
 * the first two acknowledged writes on that shard completed within the overlap.
 */
export function checkSplitBrain({ windows, history = [], toleranceMs = 0 }: SplitBrainInput): CheckResult<SplitBrainObserved> {
  const writes = completedOperations(history).filter((op) => isWriteKind(op.f) && op.type === 'ok');
  const violations: Violation[] = [];
  let longestOverlapMs = 0;
  windows.forEach((a, i) => {
    for (const b of windows.slice(i + 1)) {
      if (a.shard !== b.shard || a.node === b.node) continue;
      const from = Math.max(a.acceptedWritesFrom, b.acceptedWritesFrom);
      const until = Math.min(a.acceptedWritesUntil, b.acceptedWritesUntil);
      if (until - from <= toleranceMs) continue;
      longestOverlapMs = Math.max(longestOverlapMs, until - from);
      const during = writes.filter((op) => op.value.shard === a.shard && op.end !== undefined && op.end >= from && op.end <= until).slice(0, 2);
      violations.push({
        description: `shard ${a.shard}: ${a.node} and ${b.node} both accepted writes for ${until - from} ms`,
        witness: during.flatMap(entriesOf),
        evidence: { windows: [a, b], overlap: { from, until } },
      });
    }
  });
  return {
    name: CHECKS.splitBrain,
    passed: violations.length === 0,
    observed: { shards: new Set(windows.map((w) => w.shard)).size, windows: windows.length, overlaps: violations.length, longestOverlapMs },
    expected: 'at most one node of a shard accepting writes at any time',
    violations,
  };
}
