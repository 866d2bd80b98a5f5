import { ACCEPTED_MEDIA_TYPES, MAX_MEDIA_BYTES } from '#libs/contracts';
import { FaultlineError } from '#libs/errors';

/**
 * Refusals only the media routes make, each with its own status and code; MediaErrorFilter answers them
 * in the API's one error shape (`{ error: { code, message }, requestId }`).
 */
export abstract class MediaHttpError<Code extends string = string> extends FaultlineError<Code> {
  abstract readonly status: number;
  readonly retryAfterSeconds: number | undefined = undefined;
}

const MIB = 1024 * 1024;

/** 413: the file (or the whole request) is larger than MAX_MEDIA_BYTES allows. */
export class MediaTooLargeError extends MediaHttpError<'PAYLOAD_TOO_LARGE'> {
  readonly code = 'PAYLOAD_TOO_LARGE' as const;
  readonly status = 413;

  constructor(detail = 'the file is too large') {
    super(`${detail}: uploads may be at most ${MAX_MEDIA_BYTES / MIB} MiB (${MAX_MEDIA_BYTES} bytes)`);
  }
}

/** 415: not multipart, or a file whose content is none of the accepted image types. */
export class UnsupportedMediaTypeError extends MediaHttpError<'UNSUPPORTED_MEDIA_TYPE'> {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE' as const;
  readonly status = 415;

  static notMultipart(): UnsupportedMediaTypeError {
    return new UnsupportedMediaTypeError('send the file as multipart/form-data, in a field named "file"');
  }

  static content(declared: string | undefined): UnsupportedMediaTypeError {
    const said = declared ? ` (it was sent as ${declared})` : '';
    return new UnsupportedMediaTypeError(
      `the file is not one of ${ACCEPTED_MEDIA_TYPES.join(', ')}${said}: its type is judged by its content, not by what the upload declares`,
    );
  }
}

/** 404 with Retry-After: the item exists, its thumbnail is still being made. */
export class ThumbnailPendingError extends MediaHttpError<'THUMBNAIL_PENDING'> {
  readonly code = 'THUMBNAIL_PENDING' as const;
  readonly status = 404;
  override readonly retryAfterSeconds = 1;

  constructor() {
    super('the thumbnail is not ready yet; try again shortly');
  }
}
