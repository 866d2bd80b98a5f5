import type { ServiceError } from '#libs/contracts';
import { isFaultlineError } from '#libs/errors';
import { isMediaContentInvalidError } from '../domain/media.errors.js';

/**
 * The refusal a caller of the media service may see for an error the service threw, or undefined for an
 * internal error (to be logged and answered INTERNAL). Fits libs/messaging's `ErrorTranslator`. Messages
 * are fixed per code (content errors name their field), never the database's words.
 */
const REFUSALS: Readonly<Record<string, ServiceError>> = {
  MEDIA_NOT_FOUND: { code: 'NOT_FOUND', message: 'no such media' },
  // The gateway tells this one apart (the item exists: GET info) and answers THUMBNAIL_PENDING.
  THUMBNAIL_PENDING: { code: 'NOT_FOUND', message: 'the thumbnail is not ready yet' },
  MEDIA_FORBIDDEN: { code: 'FORBIDDEN', message: 'only the owner may change a media item' },
  MEDIA_ALREADY_EXISTS: { code: 'CONFLICT', message: 'this request id was already used for a different upload' },
  EXPECTED_VERSION_CONFLICT: { code: 'CONFLICT', message: 'the media item was changed concurrently; try again' },
  APPEND_ORDER_CONFLICT: { code: 'CONFLICT', message: 'the media item was changed concurrently; try again' },
  IDEMPOTENCY_KEY_REUSED: { code: 'CONFLICT', message: 'this request id was already used for a different request' },
  SHARD_UNAVAILABLE: { code: 'UNAVAILABLE', message: 'the media database is unavailable; try again later' },
};

export function translateMediaError(error: unknown): ServiceError | undefined {
  if (isMediaContentInvalidError(error)) {
    return { code: 'VALIDATION_FAILED', message: error.message, fields: [{ field: error.field, message: error.message }] };
  }
  return isFaultlineError(error) ? REFUSALS[error.code] : undefined;
}
