import { FaultlineError, isFaultlineError } from '#libs/errors';

/** A checker was asked something meaningless (an SLO of 100 %, a bucket of 0 ms): no verdict can come of it. */
export class CheckerOptionsInvalidError extends FaultlineError<'CHECKER_OPTIONS_INVALID'> {
  readonly code = 'CHECKER_OPTIONS_INVALID' as const;

  constructor(
    readonly checker: string,
    readonly option: string,
    reason: string,
  ) {
    super(`${checker}: ${option} ${reason}`);
  }
}

export const isCheckerOptionsInvalidError = (error: unknown): error is CheckerOptionsInvalidError => isFaultlineError(error, 'CHECKER_OPTIONS_INVALID');
