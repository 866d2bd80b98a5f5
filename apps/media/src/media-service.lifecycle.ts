import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { retryUntilDone } from '#libs/health';
import { PINO_LOGGER } from '#libs/observability';
import type { ShardRouter } from '#libs/shard-router';
import type { Logger } from 'pino';
import { MediaService } from './media/media.service.js';

/** The media service's ShardRouter (its pools are closed with the service). */
export const MEDIA_SHARD_ROUTER = Symbol('MEDIA_SHARD_ROUTER');

/**
 * Creates the tables on every shard in the background, retrying until each shard's primary answers: a
 * shard that is down while the service starts (chaos) must not keep the service from starting or from
 * serving the other shards. Closes the service, then the router's pools, on shutdown.
 */
@Injectable()
export class MediaServiceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly stopping = new AbortController();
  private schema: Promise<void> | undefined;

  constructor(
    @Inject(MediaService) private readonly media: MediaService,
    @Inject(MEDIA_SHARD_ROUTER) private readonly router: ShardRouter,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.schema = retryUntilDone((signal) => this.media.ensureSchema(signal), {
      signal: this.stopping.signal,
      what: 'media schema',
      log: (level, fields, message) => this.logger[level](fields, message),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // A shard that is down would hold the shutdown for a whole write deadline: give up at once.
    this.stopping.abort();
    await this.schema;
    await this.media.close();
    await this.router.close();
  }
}
