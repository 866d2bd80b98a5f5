import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import {
  attachThumbnailRequestSchema,
  deleteMediaRequestSchema,
  getMediaContentRequestSchema,
  getMediaRequestSchema,
  MEDIA_PATTERNS,
  uploadMediaRequestSchema,
} from '#libs/contracts';
import { deadlineOf, MessageMetrics, serveMessage, type ServeMessageDeps } from '#libs/messaging';
import { PINO_LOGGER } from '#libs/observability';
import type { Logger } from 'pino';
import { translateMediaError } from './media/media-error.translator.js';
import { MediaService } from './media/media.service.js';

/** The media service's NATS API: each pattern validated at the boundary, answered with an envelope; a request whose caller's deadline passed is skipped. */
@Controller()
export class MediaMessagesController {
  private readonly deps: ServeMessageDeps;

  constructor(
    @Inject(MediaService) private readonly media: MediaService,
    @Inject(MessageMetrics) metrics: MessageMetrics,
    @Inject(PINO_LOGGER) logger: Logger,
  ) {
    this.deps = { metrics, logger, translate: translateMediaError };
  }

  @MessagePattern(MEDIA_PATTERNS.upload)
  upload(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, MEDIA_PATTERNS.upload, uploadMediaRequestSchema, payload, (m) => this.media.upload(m), deadlineOf(context?.getHeaders()));
  }

  @MessagePattern(MEDIA_PATTERNS.get)
  get(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, MEDIA_PATTERNS.get, getMediaRequestSchema, payload, (m) => this.media.getMedia(m), deadlineOf(context?.getHeaders()));
  }

  @MessagePattern(MEDIA_PATTERNS.content)
  content(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, MEDIA_PATTERNS.content, getMediaContentRequestSchema, payload, (m) => this.media.getContent(m), deadlineOf(context?.getHeaders()));
  }

  @MessagePattern(MEDIA_PATTERNS.attachThumbnail)
  attachThumbnail(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, MEDIA_PATTERNS.attachThumbnail, attachThumbnailRequestSchema, payload, (m) => this.media.attachThumbnail(m), deadlineOf(context?.getHeaders()));
  }

  @MessagePattern(MEDIA_PATTERNS.delete)
  delete(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, MEDIA_PATTERNS.delete, deleteMediaRequestSchema, payload, (m) => this.media.delete(m), deadlineOf(context?.getHeaders()));
  }
}
