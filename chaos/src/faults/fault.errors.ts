import { FaultlineError } from '#libs/errors';

/** A selector or component that names nothing in the lab; `valid` says what would. */
export class FaultTargetError extends FaultlineError<'FAULT_TARGET_INVALID'> {
  readonly code = 'FAULT_TARGET_INVALID' as const;
  constructor(
    message: string,
    readonly valid: readonly string[],
  ) {
    super(message);
  }
}

export class FaultNotFoundError extends FaultlineError<'FAULT_NOT_FOUND'> {
  readonly code = 'FAULT_NOT_FOUND' as const;
  constructor(
    readonly faultId: string,
    readonly active: readonly string[],
  ) {
    super(`no active fault "${faultId}"${active.length ? `; active: ${active.join(', ')}` : '; none is active (faultline fault list)'}`);
  }
}

export const isFaultTargetError = (error: unknown): error is FaultTargetError => error instanceof FaultTargetError;
export const isFaultNotFoundError = (error: unknown): error is FaultNotFoundError => error instanceof FaultNotFoundError;
