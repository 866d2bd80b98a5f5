import { Controller, Delete, Get, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  MEDIA_PATTERNS,
  mediaIdField,
  type GetMediaReply,
  type MediaContentReply,
  type MediaInfo,
  type MediaVariant,
  type UploadMediaReply,
} from '#libs/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isServiceRefusedError } from '../http/api.errors.js';
import { idempotencyKeyOf } from '../http/idempotency-key.js';
import { parseRequest } from '../http/parse-request.js';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import type { ServiceClient } from '../services/service-client.js';
import { SessionAuth } from '../sessions/session-auth.js';
import { CACHEABLE, ifNoneMatchHits, REVALIDATE } from './http-cache.js';
import { MediaErrorFilter } from './media-error.filter.js';
import { MEDIA_SERVICE_CLIENT } from './media-service.client.js';
import { ThumbnailPendingError } from './media.errors.js';
import { readUpload } from './multipart-upload.js';

const mediaParams = z.object({ id: mediaIdField });

/**
 * Media: upload with a session; read without one. The reads are public URLs on purpose — an `<img src>`
 * sends no bearer token, and a CDN may only share what needs no credentials — so anyone who knows an id
 * (a random-looking UUID) may read the item. Originals and ready thumbnails are immutable at their URL,
 * hence `Cache-Control: public, max-age=3600` and a strong ETag (the content's SHA-256); the DC's edge
 * caches them for the topology's TTL. Errors are never cached (`no-store`).
 */
@Controller('v1/media')
@UseGuards(RateLimitGuard)
@UseFilters(MediaErrorFilter)
export class MediaController {
  constructor(
    @Inject(MEDIA_SERVICE_CLIENT) private readonly media: ServiceClient,
    @Inject(SessionAuth) private readonly auth: SessionAuth,
  ) {}

  /**
   * Upload: multipart/form-data with the image in the field `file` → 201 with the item's info and its
   * `Location`. 413 above MAX_MEDIA_BYTES, 415 when the content is not an accepted image. A retry with the
   * same `Idempotency-Key` answers the same item.
   */
  @Post()
  @HttpCode(201)
  async upload(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<MediaInfo> {
    const session = await this.auth.require(request);
    const requestId = idempotencyKeyOf(request);
    const upload = await readUpload(request);
    const { media } = await this.media.call<UploadMediaReply>(MEDIA_PATTERNS.upload, {
      ownerId: session.userId,
      contentType: upload.contentType,
      ...(upload.filename !== undefined && { filename: upload.filename }),
      dataBase64: upload.data.toString('base64'),
      requestId,
    });
    void reply.header('location', `/v1/media/${media.id}`);
    return media;
  }

  /** The original bytes. */
  @Get(':id')
  async original(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { id } = parseRequest(mediaParams, request.params, 'path.');
    await this.sendContent(request, reply, await this.content(id, 'original'));
  }

  /** The thumbnail's bytes once the worker made it; until then 404 THUMBNAIL_PENDING with Retry-After (never cached). */
  @Get(':id/thumbnail')
  async thumbnail(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { id } = parseRequest(mediaParams, request.params, 'path.');
    let content: MediaContentReply;
    try {
      content = await this.content(id, 'thumbnail');
    } catch (error) {
      if (!isServiceRefusedError(error) || error.code !== 'NOT_FOUND') throw error;
      // No thumbnail: is there an item (then it is pending) or not (then 404 NOT_FOUND, thrown by the call)?
      const { media } = await this.media.call<GetMediaReply>(MEDIA_PATTERNS.get, { mediaId: id });
      if (media.thumbnail.status !== 'ready') throw new ThumbnailPendingError();
      content = await this.content(id, 'thumbnail'); // it became ready in between
    }
    await this.sendContent(request, reply, content);
  }

  /** The item's metadata (MediaInfo); it changes, so caches must revalidate (ETag: the stream version). */
  @Get(':id/info')
  async info(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { id } = parseRequest(mediaParams, request.params, 'path.');
    const { media } = await this.media.call<GetMediaReply>(MEDIA_PATTERNS.get, { mediaId: id });
    const etag = `"v${media.version}"`;
    void reply.header('etag', etag).header('cache-control', REVALIDATE);
    if (ifNoneMatchHits(request.headers['if-none-match'], etag)) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).send(media);
  }

  /** Delete one's own item → 204; 403 for someone else's. Edge copies live on until their TTL. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() request: FastifyRequest): Promise<void> {
    const session = await this.auth.require(request);
    const { id } = parseRequest(mediaParams, request.params, 'path.');
    await this.media.call(MEDIA_PATTERNS.delete, { mediaId: id, actorId: session.userId, requestId: idempotencyKeyOf(request) });
  }

  private content(mediaId: string, variant: MediaVariant): Promise<MediaContentReply> {
    return this.media.call<MediaContentReply>(MEDIA_PATTERNS.content, { mediaId, variant });
  }

  /** 200 with the bytes, or 304 when the client already has them (If-None-Match). */
  private async sendContent(request: FastifyRequest, reply: FastifyReply, content: MediaContentReply): Promise<void> {
    void reply.header('etag', content.etag).header('cache-control', CACHEABLE).header('x-content-type-options', 'nosniff');
    if (ifNoneMatchHits(request.headers['if-none-match'], content.etag)) {
      await reply.status(304).send();
      return;
    }
    const data = Buffer.from(content.dataBase64, 'base64');
    await reply.status(200).header('content-type', content.contentType).send(data);
  }
}
