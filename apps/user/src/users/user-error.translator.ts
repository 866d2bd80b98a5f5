import type { ServiceErrorCode } from '#libs/contracts';
import { isFaultlineError } from '#libs/errors';

/**
 * The refusal a caller of the user service may see for an error the service threw, or undefined for an
 * internal error (to be logged and answered INTERNAL). Fits libs/messaging's `ErrorTranslator`.
 * Messages are fixed per code: a refusal never carries another user's id or the database's words.
 */
const REFUSALS: Readonly<Record<string, { code: ServiceErrorCode; message: string }>> = {
  USER_NOT_FOUND: { code: 'NOT_FOUND', message: 'no such user' },
  USER_ALREADY_EXISTS: { code: 'CONFLICT', message: 'this user already exists' },
  FORBIDDEN: { code: 'FORBIDDEN', message: 'only the user may change their own profile' },
  EMAIL_TAKEN: { code: 'EMAIL_TAKEN', message: 'this email address is already in use' },
  // The address went to another registration while this one was stalled: to the client, it is taken.
  REGISTRATION_ABANDONED: { code: 'EMAIL_TAKEN', message: 'this email address is already in use' },
  INVALID_CREDENTIALS: { code: 'INVALID_CREDENTIALS', message: 'invalid email or password' },
  // Concurrent changes to one user beyond handleCommand's retries: the client may simply try again.
  EXPECTED_VERSION_CONFLICT: { code: 'CONFLICT', message: 'the user was changed concurrently; try again' },
  APPEND_ORDER_CONFLICT: { code: 'CONFLICT', message: 'the user was changed concurrently; try again' },
  // A request id (idempotency key) sent again with a different command.
  IDEMPOTENCY_KEY_REUSED: { code: 'CONFLICT', message: 'this request id was already used for a different request' },
  SHARD_UNAVAILABLE: { code: 'UNAVAILABLE', message: 'the user database is unavailable; try again later' },
};

export function translateUserError(error: unknown): { code: ServiceErrorCode; message: string } | undefined {
  return isFaultlineError(error) ? REFUSALS[error.code] : undefined;
}
