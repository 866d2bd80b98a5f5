import { FaultlineError, isFaultlineError } from '#libs/errors';

/** The command names a user whose stream has no `UserRegistered`. */
export class UserNotFoundError extends FaultlineError<'USER_NOT_FOUND'> {
  readonly code = 'USER_NOT_FOUND' as const;

  constructor(readonly userId: string) {
    super(`user ${userId} does not exist`);
  }
}

/** A registration found its user stream already registered (a different command with the same user id). */
export class UserAlreadyExistsError extends FaultlineError<'USER_ALREADY_EXISTS'> {
  readonly code = 'USER_ALREADY_EXISTS' as const;

  constructor(readonly userId: string) {
    super(`user ${userId} already exists`);
  }
}

/** Only the user may change their own profile: the actor is someone else. */
export class ForbiddenError extends FaultlineError<'FORBIDDEN'> {
  readonly code = 'FORBIDDEN' as const;

  constructor(
    readonly userId: string,
    readonly actorId: string,
  ) {
    super(`user ${actorId} may not change user ${userId}`);
  }
}

/**
 * The registration came back after its user stream was closed by a takeover of its email address
 * (see README, "Sharding and email uniqueness"): it can never complete.
 */
export class RegistrationAbandonedError extends FaultlineError<'REGISTRATION_ABANDONED'> {
  readonly code = 'REGISTRATION_ABANDONED' as const;

  constructor(readonly userId: string) {
    super(`the registration of user ${userId} was abandoned and its email address given to another registration`);
  }
}

export const isUserNotFoundError = (error: unknown): error is UserNotFoundError => isFaultlineError(error, 'USER_NOT_FOUND');
export const isUserAlreadyExistsError = (error: unknown): error is UserAlreadyExistsError => isFaultlineError(error, 'USER_ALREADY_EXISTS');
export const isForbiddenError = (error: unknown): error is ForbiddenError => isFaultlineError(error, 'FORBIDDEN');
export const isRegistrationAbandonedError = (error: unknown): error is RegistrationAbandonedError => isFaultlineError(error, 'REGISTRATION_ABANDONED');
