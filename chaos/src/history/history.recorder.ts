import { HistoryInvalidError } from './history.errors.js';
import type { EntryWithout, HistoryEntry, OperationError, OperationKind, OperationValue } from './operation.js';

/** The way to complete one invoked operation, exactly once. */
export interface PendingOperation {
  ok(result?: OperationValue): void;
  fail(error: OperationError, result?: OperationValue): void;
  /** Outcome unknown (a timeout, a reset connection): never use fail for these. */
  info(error: OperationError, result?: OperationValue): void;
}

/** Milliseconds since the call, on the monotonic clock (wall clocks jump; histories must not). */
export function monotonicClock(): () => number {
  const origin = performance.now();
  return () => performance.now() - origin;
}

/**
 * Records a live run's history: the workload's clients call `invoke` before a request and complete the
 * returned handle when the answer (or the timeout) arrives. Enforces one operation in flight per process and
 * time that never runs backwards, so what it records always pairs (completedOperations).
 */
export class HistoryRecorder {
  private readonly recorded: HistoryEntry[] = [];
  private readonly inFlight = new Set<number>();
  private lastTime = 0;

  constructor(private readonly now: () => number = monotonicClock()) {}

  /** The history so far (a copy). */
  get entries(): readonly HistoryEntry[] {
    return [...this.recorded];
  }

  invoke(process: number, f: OperationKind, value: OperationValue = {}): PendingOperation {
    if (this.inFlight.has(process)) throw new HistoryInvalidError(`process ${process} invoked ${f} while its previous operation was in flight`);
    this.inFlight.add(process);
    this.append({ type: 'invoke', process, f, value });
    let done = false;
    const complete = (entry: EntryWithout<'index' | 'time' | 'process' | 'f'>): void => {
      if (done) throw new HistoryInvalidError(`process ${process} completed its ${f} twice`);
      done = true;
      this.inFlight.delete(process);
      this.append({ ...entry, process, f });
    };
    return {
      ok: (result = {}) => complete({ type: 'ok', value: result }),
      fail: (error, result = {}) => complete({ type: 'fail', value: result, error }),
      info: (error, result = {}) => complete({ type: 'info', value: result, error }),
    };
  }

  private append(entry: EntryWithout<'index' | 'time'>): void {
    this.lastTime = Math.max(this.lastTime, this.now());
    this.recorded.push({ ...entry, index: this.recorded.length, time: this.lastTime });
  }
}
