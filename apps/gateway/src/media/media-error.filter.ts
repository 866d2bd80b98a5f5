import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { PINO_LOGGER } from '#libs/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ApiErrorFilter, type ApiErrorBody } from '../http/api-error.filter.js';
import { NEVER_STORE } from './http-cache.js';
import { MediaHttpError } from './media.errors.js';

/**
 * The media routes' errors: every error answer is `Cache-Control: no-store` (a CDN edge or a browser must
 * never keep a 404 or a 503 for a URL that will work later); the media-only refusals (413, 415,
 * THUMBNAIL_PENDING) in the API's one error shape; everything else exactly as ApiErrorFilter answers it.
 */
@Catch()
export class MediaErrorFilter implements ExceptionFilter {
  private readonly api: ApiErrorFilter;

  constructor(@Inject(PINO_LOGGER) logger: Logger) {
    this.api = new ApiErrorFilter(logger);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    void reply.header('cache-control', NEVER_STORE);
    if (!(error instanceof MediaHttpError)) {
      this.api.catch(error, host);
      return;
    }
    if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
    const body: ApiErrorBody = { error: { code: error.code, message: error.message }, requestId: http.getRequest<FastifyRequest>().id };
    void reply.status(error.status).send(body);
  }
}
