import { z } from 'zod';
import type { SniffedMediaType } from './media.sniff.js';
import { requestIdField, userIdField } from '../user/user.fields.js';
import { writeTokenSchema } from '../user/user.messages.js';

/** NATS request-reply subjects of the media service. Bytes travel base64-encoded inside the JSON message. */
export const MEDIA_PATTERNS = {
  upload: 'media.upload',
  get: 'media.get',
  content: 'media.content.get',
  attachThumbnail: 'media.thumbnail.attach',
  delete: 'media.delete',
} as const;

/** Types an upload may have: what the thumbnail job can decode. Anything else is 415. */
export const ACCEPTED_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const satisfies readonly SniffedMediaType[];
export type AcceptedMediaType = (typeof ACCEPTED_MEDIA_TYPES)[number];
/** Largest upload accepted (413 above): fits a NATS message once base64-encoded (the lab sets max_payload to 16 MiB). */
export const MAX_MEDIA_BYTES = 8 * 1024 * 1024;
/** Width of the thumbnail the worker makes. */
export const THUMBNAIL_WIDTH = 160;
/** The variants of a media item's content: what was uploaded, and the worker's thumbnail. */
export const MEDIA_VARIANTS = ['original', 'thumbnail'] as const;
export type MediaVariant = (typeof MEDIA_VARIANTS)[number];

export const mediaIdField = z.uuid({ error: 'must be a UUID' }).transform((id) => id.toLowerCase());
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const uploadMediaRequestSchema = z.object({
  ownerId: userIdField,
  contentType: z.enum(ACCEPTED_MEDIA_TYPES, { error: `must be one of ${ACCEPTED_MEDIA_TYPES.join(', ')}` }),
  filename: z.string().max(255).optional(),
  dataBase64: base64,
  requestId: requestIdField,
});
export type UploadMediaRequest = z.infer<typeof uploadMediaRequestSchema>;

export type ThumbnailStatus = 'pending' | 'ready' | 'failed';

/** A media item's metadata, as `GET /v1/media/:id` answers it (JSON) and as replies carry it. */
export interface MediaInfo {
  readonly id: string;
  readonly ownerId: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly filename?: string;
  readonly uploadedAt: string;
  readonly thumbnail: {
    readonly status: ThumbnailStatus;
    readonly width?: number;
    readonly height?: number;
    readonly size?: number;
    /** Of the thumbnail, once ready. */
    readonly contentType?: string;
  };
  /** The media stream's version this reflects. */
  readonly version: number;
}

export interface UploadMediaReply {
  readonly media: MediaInfo;
  readonly write: z.infer<typeof writeTokenSchema>;
}

export const getMediaRequestSchema = z.object({ mediaId: mediaIdField });
export type GetMediaRequest = z.infer<typeof getMediaRequestSchema>;
export interface GetMediaReply {
  readonly media: MediaInfo;
}

export const getMediaContentRequestSchema = z.object({
  mediaId: mediaIdField,
  variant: z.enum(MEDIA_VARIANTS),
});
export type GetMediaContentRequest = z.infer<typeof getMediaContentRequestSchema>;
export interface MediaContentReply {
  readonly contentType: string;
  readonly size: number;
  /** Strong validator: the content's SHA-256 (quoted, as HTTP wants it). */
  readonly etag: string;
  readonly dataBase64: string;
}

export const attachThumbnailRequestSchema = z.object({
  mediaId: mediaIdField,
  contentType: z.enum(ACCEPTED_MEDIA_TYPES),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  dataBase64: base64,
  requestId: requestIdField,
});
export type AttachThumbnailRequest = z.infer<typeof attachThumbnailRequestSchema>;
/** The item after the attach: `thumbnail.status` is `ready` (also when an earlier attach had already made it so). */
export interface AttachThumbnailReply {
  readonly media: MediaInfo;
  readonly write: z.infer<typeof writeTokenSchema>;
}

export const deleteMediaRequestSchema = z.object({ mediaId: mediaIdField, actorId: userIdField, requestId: requestIdField });
export type DeleteMediaRequest = z.infer<typeof deleteMediaRequestSchema>;
export interface DeleteMediaReply {
  readonly mediaId: string;
  readonly write: z.infer<typeof writeTokenSchema>;
}

export { sniffMediaType } from './media.sniff.js';
