import { completedOperations } from '../history/completed-operations.js';
import type { HistoryEntry } from '../history/operation.js';
import { quantile } from '../workload/sli.js';

/** One second of the run, by when operations completed. Latencies are of ok operations; null when none. */
export interface TimelinePoint {
  /** Start of the second, seconds since run start. */
  readonly t: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  /** (fail + info) / completed; 0 when nothing completed. */
  readonly errorRate: number;
  readonly p50LatencyMs: number | null;
  readonly p99LatencyMs: number | null;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Per-second throughput, error rate and latency percentiles, from 0 to the last completion (empty seconds included). */
export function timelineOf(history: readonly HistoryEntry[], bucketMs = 1_000): TimelinePoint[] {
  const ops = completedOperations(history).filter((op) => op.end !== undefined);
  if (ops.length === 0) return [];
  const last = Math.max(...ops.map((op) => op.end!));
  const buckets = Array.from({ length: Math.floor(last / bucketMs) + 1 }, () => ({ ok: 0, fail: 0, info: 0, latencies: [] as number[] }));
  for (const op of ops) {
    const bucket = buckets[Math.floor(op.end! / bucketMs)]!;
    bucket[op.type]++;
    if (op.type === 'ok') bucket.latencies.push(op.end! - op.start);
  }
  return buckets.map((b, i) => {
    const total = b.ok + b.fail + b.info;
    const sorted = b.latencies.sort((x, y) => x - y);
    return {
      t: (i * bucketMs) / 1000,
      ok: b.ok,
      fail: b.fail,
      info: b.info,
      errorRate: total === 0 ? 0 : Math.round(((b.fail + b.info) / total) * 1000) / 1000,
      p50LatencyMs: sorted.length === 0 ? null : round(quantile(sorted, 0.5)),
      p99LatencyMs: sorted.length === 0 ? null : round(quantile(sorted, 0.99)),
    };
  });
}
