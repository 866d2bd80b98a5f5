import { FaultlineError, isFaultlineError } from '#libs/errors';

/** No media item has this id, or it was deleted (the same answer: a deleted item is gone). */
export class MediaNotFoundError extends FaultlineError<'MEDIA_NOT_FOUND'> {
  readonly code = 'MEDIA_NOT_FOUND' as const;

  constructor(readonly mediaId: string) {
    super(`media ${mediaId} does not exist`);
  }
}

/** Only the owner may delete an item. */
export class MediaForbiddenError extends FaultlineError<'MEDIA_FORBIDDEN'> {
  readonly code = 'MEDIA_FORBIDDEN' as const;

  constructor(
    readonly mediaId: string,
    readonly actorId: string,
  ) {
    super(`user ${actorId} may not change media ${mediaId}`);
  }
}

/**
 * An upload landed on a stream that already holds other content: the same request id (so the same
 * media id) sent again with different bytes or by another owner. The first upload stands.
 */
export class MediaAlreadyExistsError extends FaultlineError<'MEDIA_ALREADY_EXISTS'> {
  readonly code = 'MEDIA_ALREADY_EXISTS' as const;

  constructor(readonly mediaId: string) {
    super(`media ${mediaId} already exists with other content: this request id was used for another upload`);
  }
}

/** The thumbnail of an existing item is not there yet (ThumbnailRequested, no ThumbnailGenerated). */
export class ThumbnailPendingError extends FaultlineError<'THUMBNAIL_PENDING'> {
  readonly code = 'THUMBNAIL_PENDING' as const;

  constructor(readonly mediaId: string) {
    super(`the thumbnail of media ${mediaId} is not ready yet`);
  }
}

/** Content that does not match what the message says about it (its type, its size). */
export class MediaContentInvalidError extends FaultlineError<'MEDIA_CONTENT_INVALID'> {
  readonly code = 'MEDIA_CONTENT_INVALID' as const;

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const isMediaNotFoundError = (error: unknown): error is MediaNotFoundError => isFaultlineError(error, 'MEDIA_NOT_FOUND');
export const isThumbnailPendingError = (error: unknown): error is ThumbnailPendingError => isFaultlineError(error, 'THUMBNAIL_PENDING');
export const isMediaContentInvalidError = (error: unknown): error is MediaContentInvalidError => isFaultlineError(error, 'MEDIA_CONTENT_INVALID');
