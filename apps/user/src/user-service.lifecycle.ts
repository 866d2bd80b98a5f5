import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { retryUntilDone } from '#libs/health';
import { PINO_LOGGER } from '#libs/observability';
import type { Logger } from 'pino';
import { UserService } from './users/user.service.js';

/**
 * Creates the tables on every shard in the background, retrying until each shard's primary answers: a
 * shard that is down while the service starts (chaos) must not keep the service from starting or from
 * serving the other shards. Closes the service (and its pools) on shutdown.
 */
@Injectable()
export class UserServiceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly stopping = new AbortController();
  private schema: Promise<void> | undefined;

  constructor(
    @Inject(UserService) private readonly users: UserService,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.schema = retryUntilDone((signal) => this.users.ensureSchema(signal), {
      signal: this.stopping.signal,
      what: 'user schema',
      log: (level, fields, message) => this.logger[level](fields, message),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // A shard that is down would hold the shutdown for a whole write deadline: give up at once.
    this.stopping.abort();
    await this.schema;
    await this.users.close();
  }
}
