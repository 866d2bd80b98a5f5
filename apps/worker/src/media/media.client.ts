import { MEDIA_PATTERNS, type AttachThumbnailRequest, type GetMediaContentRequest, type MediaContentReply } from '#libs/contracts';
import { z } from 'zod';
import { requestReply, ServiceCallError, type RequestTransport } from './service-call.js';

export interface MediaClientOptions {
  /** Deadline of a content request (up to 8 MiB of image, base64-encoded). Default 10 000. */
  readonly contentTimeoutMs: number;
  /** Deadline of an attach request. Default 5000. */
  readonly attachTimeoutMs: number;
}

export const DEFAULT_MEDIA_CLIENT_OPTIONS: MediaClientOptions = { contentTimeoutMs: 10_000, attachTimeoutMs: 5_000 };

const contentReplySchema = z.object({ contentType: z.string(), dataBase64: z.string(), size: z.number().optional(), etag: z.string().optional() });

export interface MediaContent {
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** The worker's side of the media service's NATS API (request-reply through Nest's ClientNats). */
export class MediaClient {
  constructor(
    private readonly transport: RequestTransport,
    private readonly options: MediaClientOptions = DEFAULT_MEDIA_CLIENT_OPTIONS,
  ) {}

  /** The uploaded original's bytes (`media.content.get`, variant `original`). */
  async original(mediaId: string): Promise<MediaContent> {
    const request: GetMediaContentRequest = { mediaId, variant: 'original' };
    const value = await requestReply<MediaContentReply>(this.transport, MEDIA_PATTERNS.content, request, this.options.contentTimeoutMs);
    const reply = contentReplySchema.safeParse(value);
    if (!reply.success) throw new ServiceCallError(MEDIA_PATTERNS.content, 'invalid-reply', 'the content reply lacks contentType or dataBase64', undefined, { cause: reply.error });
    return { contentType: reply.data.contentType, bytes: Buffer.from(reply.data.dataBase64, 'base64') };
  }

  /** Attaches the thumbnail (`media.thumbnail.attach`); idempotent on the media side by `requestId`. */
  async attachThumbnail(request: AttachThumbnailRequest): Promise<unknown> {
    return requestReply<unknown>(this.transport, MEDIA_PATTERNS.attachThumbnail, request, this.options.attachTimeoutMs);
  }
}
