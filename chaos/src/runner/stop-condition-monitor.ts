import type { StopCondition } from '../experiments/index.js';
import type { HistoryEntry } from '../history/operation.js';
import { measureSli } from '../workload/sli.js';

/** The window each stop condition's SLI is measured over at every check. */
export const STOP_CONDITION_WINDOW_MS = 5_000;

export interface StopConditionFired {
  readonly condition: string;
  readonly at: number;
  readonly observed: number;
}

export const describeStopCondition = (c: StopCondition): string =>
  `${c.sli} ${c.above !== undefined ? `above ${c.above}` : `below ${c.below}`}${c.for > 0 ? ` for ${c.for / 1000}s` : ''}`;

/**
 * Stop conditions, checked once a second while the method runs: each SLI over the last 5 s of the history; a
 * condition fires once its SLI has been past the threshold at every check for its `for`. A window with no
 * completed operation neither starts nor breaks the streak (operations that hang complete as info at their
 * timeout, so a dead system does show up).
 */
export class StopConditionMonitor {
  private readonly pastSince = new Map<number, number>();

  constructor(private readonly conditions: readonly StopCondition[]) {}

  /** The condition that fires now, if any. */
  check(history: readonly HistoryEntry[], now: number): StopConditionFired | undefined {
    for (const [i, c] of this.conditions.entries()) {
      const measured = measureSli(history, c.sli, STOP_CONDITION_WINDOW_MS, now);
      if (measured.value === null) continue;
      const past = c.above !== undefined ? measured.value > c.above : measured.value < c.below!;
      if (!past) {
        this.pastSince.delete(i);
        continue;
      }
      const since = this.pastSince.get(i) ?? now;
      this.pastSince.set(i, since);
      if (now - since >= c.for) return { condition: describeStopCondition(c), at: now, observed: Math.round(measured.value * 1000) / 1000 };
    }
    return undefined;
  }
}
