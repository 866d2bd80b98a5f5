/**
 * Base of every error faultline raises on purpose: a stable machine-readable `code`, a human message,
 * and the `cause` chain kept intact. Subclasses narrow `code`; `isFaultlineError(e, code)` guards.
 */
export abstract class FaultlineError<Code extends string = string> extends Error {
  abstract readonly code: Code;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isFaultlineError<Code extends string>(error: unknown, code?: Code): error is FaultlineError<Code> {
  return error instanceof FaultlineError && (code === undefined || error.code === code);
}
