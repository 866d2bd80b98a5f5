import { ACCEPTED_MEDIA_TYPES } from '#libs/contracts';
import { FaultlineError } from '#libs/errors';
import sharp, { type Sharp } from 'sharp';

export type ImageType = (typeof ACCEPTED_MEDIA_TYPES)[number];

export interface Thumbnail {
  readonly contentType: ImageType;
  readonly width: number;
  readonly height: number;
  readonly bytes: Buffer;
}

/** Raised when the bytes are not an image sharp can read: no retry will change that. */
export class UndecodableImageError extends FaultlineError<'IMAGE_UNDECODABLE'> {
  readonly code = 'IMAGE_UNDECODABLE' as const;
}

/** More pixels than this are refused (a decompression bomb): 50 megapixels. */
const MAX_INPUT_PIXELS = 50_000_000;

/**
 * A thumbnail `width` pixels wide, the height keeping the aspect ratio, the image upright (EXIF
 * orientation applied). Smaller images are not enlarged. JPEG stays JPEG and WebP WebP; PNG and GIF
 * (its first frame) become PNG, which keeps transparency. Deterministic for the same input and sharp
 * version, so a job that runs twice attaches the same bytes.
 */
export async function makeThumbnail(input: Buffer, width: number): Promise<Thumbnail> {
  let pipeline: Sharp;
  let format: string | undefined;
  try {
    pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    format = (await pipeline.metadata()).format;
  } catch (error) {
    throw new UndecodableImageError(`not a readable image: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const resized = pipeline.autoOrient().resize({ width, withoutEnlargement: true });
  const [encoded, contentType] =
    format === 'jpeg'
      ? [resized.jpeg({ quality: 80, mozjpeg: true }), 'image/jpeg' as const]
      : format === 'webp'
        ? [resized.webp({ quality: 80 }), 'image/webp' as const]
        : [resized.png({ compressionLevel: 9 }), 'image/png' as const];
  try {
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { contentType, width: info.width, height: info.height, bytes: data };
  } catch (error) {
    throw new UndecodableImageError(`the image could not be resized: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
