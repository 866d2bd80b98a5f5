import { HistoryInvalidError } from './history.errors.js';
import type { CompletionEntry, CompletionType, HistoryEntry, InvokeEntry, OperationError, OperationKind, OperationValue } from './operation.js';

/** An invoke paired with its completion: what the checkers reason about. */
export interface CompletedOperation {
  readonly process: number;
  readonly f: OperationKind;
  /** An invoke the run ended without completing counts as `info`: its outcome is unknown. */
  readonly type: CompletionType;
  /** Invoke time (ms since run start). */
  readonly start: number;
  /** Completion time; undefined when the run ended first. */
  readonly end: number | undefined;
  /** The invoke's inputs overlaid with what the completion said. */
  readonly value: OperationValue;
  readonly error?: OperationError;
  readonly invoke: InvokeEntry;
  readonly completion: CompletionEntry | undefined;
}

const INCOMPLETE: OperationError = { code: 'INCOMPLETE', message: 'the run ended before the operation completed' };

/**
 * Pairs every invoke with its process's next completion, in invoke order. Each process has at most one
 * operation in flight (a Jepsen client is single-threaded); a history that breaks that, or completes an
 * operation it never invoked, or lets time or index run backwards, raises HistoryInvalidError.
 */
export function completedOperations(history: readonly HistoryEntry[]): CompletedOperation[] {
  const pending = new Map<number, number>();
  const operations: CompletedOperation[] = [];
  let previous: HistoryEntry | undefined;
  for (const entry of history) {
    assertInOrder(previous, entry);
    previous = entry;
    const inFlight = pending.get(entry.process);
    if (entry.type === 'invoke') {
      if (inFlight !== undefined) throw new HistoryInvalidError(`process ${entry.process} invoked at index ${entry.index} while index ${operations[inFlight]!.invoke.index} was in flight`);
      pending.set(entry.process, operations.length);
      operations.push(incomplete(entry));
      continue;
    }
    if (inFlight === undefined) throw new HistoryInvalidError(`process ${entry.process} completed at index ${entry.index} without an invoke`);
    const { invoke } = operations[inFlight]!;
    if (invoke.f !== entry.f) throw new HistoryInvalidError(`process ${entry.process} invoked ${invoke.f} but completed ${entry.f} at index ${entry.index}`);
    operations[inFlight] = paired(invoke, entry);
    pending.delete(entry.process);
  }
  return operations;
}

function assertInOrder(previous: HistoryEntry | undefined, entry: HistoryEntry): void {
  if (!previous) return;
  if (entry.index <= previous.index) throw new HistoryInvalidError(`index ${entry.index} follows index ${previous.index}`);
  if (entry.time < previous.time) throw new HistoryInvalidError(`time runs backwards at index ${entry.index} (${entry.time} ms after ${previous.time} ms)`);
}

const incomplete = (invoke: InvokeEntry): CompletedOperation => ({
  process: invoke.process,
  f: invoke.f,
  type: 'info',
  start: invoke.time,
  end: undefined,
  value: invoke.value,
  error: INCOMPLETE,
  invoke,
  completion: undefined,
});

const paired = (invoke: InvokeEntry, completion: CompletionEntry): CompletedOperation => ({
  process: invoke.process,
  f: invoke.f,
  type: completion.type,
  start: invoke.time,
  end: completion.time,
  value: { ...invoke.value, ...completion.value },
  ...(completion.type !== 'ok' && { error: completion.error }),
  invoke,
  completion,
});

/** The entries that prove what an operation did: its invoke and, if any, its completion. */
export const entriesOf = (operation: CompletedOperation): HistoryEntry[] => (operation.completion ? [operation.invoke, operation.completion] : [operation.invoke]);
