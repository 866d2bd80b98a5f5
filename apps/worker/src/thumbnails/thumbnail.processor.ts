import type { ThumbnailJobData } from '#libs/contracts';
import { PermanentJobError, type JobContext, type JobProcessor } from '#libs/jobs';
import type { MediaClient } from '../media/media.client.js';
import { isServiceCallError } from '../media/service-call.js';
import { makeThumbnail, UndecodableImageError } from './make-thumbnail.js';

export type ThumbnailResult =
  | { readonly mediaId: string; readonly contentType: string; readonly width: number; readonly height: number; readonly size: number }
  /** The media was deleted before its thumbnail was made: nothing to do. */
  | { readonly mediaId: string; readonly skipped: 'media not found' };

/**
 * The thumbnail job: fetch the original from the media service, resize it with sharp, attach the
 * thumbnail. Idempotent: the attach carries the job id as its `requestId`, so the media service records
 * a thumbnail once however often the job runs (after a crash, a retry, a redelivered event).
 * A refusal that no retry can change, or an image that does not decode, dead-letters the job at once.
 * NOT_FOUND completes the job as skipped: the media service confirms a miss on the primary, so the media
 * is gone (deleted after its upload), and no retry would bring it back.
 */
export function thumbnailProcessor(media: MediaClient): JobProcessor<ThumbnailJobData, ThumbnailResult> {
  return async (job: JobContext<ThumbnailJobData>) => {
    const { mediaId, width } = job.data;
    try {
      const original = await media.original(mediaId);
      const thumbnail = await makeThumbnail(original.bytes, width);
      await media.attachThumbnail({
        mediaId,
        contentType: thumbnail.contentType,
        width: thumbnail.width,
        height: thumbnail.height,
        dataBase64: thumbnail.bytes.toString('base64'),
        requestId: job.id,
      });
      return { mediaId, contentType: thumbnail.contentType, width: thumbnail.width, height: thumbnail.height, size: thumbnail.bytes.length };
    } catch (error) {
      if (isServiceCallError(error) && error.serviceCode === 'NOT_FOUND') return { mediaId, skipped: 'media not found' };
      if (error instanceof UndecodableImageError) throw new PermanentJobError(`media ${mediaId}: ${error.message}`, { cause: error });
      if (isServiceCallError(error) && !error.retryable) throw new PermanentJobError(error.message, { cause: error });
      throw error;
    }
  };
}
