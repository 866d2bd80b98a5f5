import { FaultlineError, isFaultlineError } from '#libs/errors';

/**
 * A history that breaks the model: a line that is not an entry, a completion without its invoke, a second
 * invoke while the process still waits for its first, time running backwards. A checker fed such a history
 * would judge the recorder, not the system, so this is raised instead of a verdict.
 */
export class HistoryInvalidError extends FaultlineError<'HISTORY_INVALID'> {
  readonly code = 'HISTORY_INVALID' as const;

  constructor(
    message: string,
    /** 1-based line of history.jsonl, when the history came from a file. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `history.jsonl line ${line}: ${message}`);
  }
}

export const isHistoryInvalidError = (error: unknown): error is HistoryInvalidError => isFaultlineError(error, 'HISTORY_INVALID');
