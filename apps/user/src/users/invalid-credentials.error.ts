import { FaultlineError, isFaultlineError } from '#libs/errors';

/**
 * Authentication failed. One error, one message, for an unknown address and a wrong password alike:
 * the answer must not tell which addresses have accounts.
 */
export class InvalidCredentialsError extends FaultlineError<'INVALID_CREDENTIALS'> {
  readonly code = 'INVALID_CREDENTIALS' as const;

  constructor() {
    super('invalid email or password');
  }
}

export const isInvalidCredentialsError = (error: unknown): error is InvalidCredentialsError => isFaultlineError(error, 'INVALID_CREDENTIALS');
