import type { CompletionType, EntryWithout, HistoryEntry, OperationError, OperationKind, OperationValue } from './operation.js';

/** One operation, described whole: for synthetic histories (tests, examples) and for re-emitting a history. */
export interface OperationSpec {
  readonly process: number;
  readonly f: OperationKind;
  readonly start: number;
  /** Omitted: the run ended while the operation was in flight (no completion entry). */
  readonly end?: number;
  /** Defaults to ok. */
  readonly type?: CompletionType;
  /** The inputs, on the invoke. */
  readonly value?: OperationValue;
  /** What the acknowledgement said, on the completion. */
  readonly result?: OperationValue;
  /** For fail and info; defaults to FAILED and TIMEOUT. */
  readonly error?: OperationError;
}

const DEFAULT_ERRORS: Record<Exclude<CompletionType, 'ok'>, OperationError> = { fail: { code: 'FAILED' }, info: { code: 'TIMEOUT' } };

type Timed = { readonly time: number; readonly rank: number; readonly entry: EntryWithout<'index'> };

/**
 * Interleaves the invokes and completions of `operations` in time order and numbers them. At one instant,
 * completions of earlier operations come first, then invokes, then completions of operations invoked at that
 * same instant — so a process may invoke at the time its previous operation completed.
 */
export function buildHistory(operations: readonly OperationSpec[]): HistoryEntry[] {
  const timed: Timed[] = operations.flatMap((op): Timed[] => {
    const invoke: Timed = { time: op.start, rank: 1, entry: { type: 'invoke', process: op.process, time: op.start, f: op.f, value: op.value ?? {} } };
    if (op.end === undefined) return [invoke];
    return [invoke, { time: op.end, rank: op.end === op.start ? 2 : 0, entry: completionOf(op, op.end) }];
  });
  return timed
    .sort((a, b) => a.time - b.time || a.rank - b.rank)
    .map(({ entry }, index): HistoryEntry => ({ ...entry, index }));
}

function completionOf(op: OperationSpec, time: number): EntryWithout<'index'> {
  const type = op.type ?? 'ok';
  const base = { process: op.process, time, f: op.f, value: op.result ?? {} };
  return type === 'ok' ? { type, ...base } : { type, ...base, error: op.error ?? DEFAULT_ERRORS[type] };
}
