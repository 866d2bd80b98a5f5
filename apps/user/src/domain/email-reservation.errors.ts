import { FaultlineError, isFaultlineError } from '#libs/errors';

/** Who holds a reserved address, as the reservation stream says. Internal: never shown to clients. */
export interface EmailHolder {
  readonly userId: string;
  /** When the current reservation was made or last renewed (ISO 8601). */
  readonly reservedAt: string;
}

/**
 * The address is reserved by another user. Carries the holder so the service can check whether the
 * reservation was abandoned (see README); the message names nobody.
 */
export class EmailTakenError extends FaultlineError<'EMAIL_TAKEN'> {
  readonly code = 'EMAIL_TAKEN' as const;

  constructor(
    readonly email: string,
    readonly holder?: EmailHolder,
  ) {
    super('this email address is already in use');
  }
}

/** A release by someone who does not hold the address (it was taken over, or never theirs). */
export class EmailNotHeldError extends FaultlineError<'EMAIL_NOT_HELD'> {
  readonly code = 'EMAIL_NOT_HELD' as const;

  constructor(
    readonly email: string,
    readonly userId: string,
  ) {
    super(`user ${userId} does not hold the reservation of this email address`);
  }
}

export const isEmailTakenError = (error: unknown): error is EmailTakenError => isFaultlineError(error, 'EMAIL_TAKEN');
export const isEmailNotHeldError = (error: unknown): error is EmailNotHeldError => isFaultlineError(error, 'EMAIL_NOT_HELD');
