import { setTimeout } from 'node:timers/promises';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { describeError } from '#libs/health';
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
    this.schema = this.ensureSchemaUntilDone();
  }

  async onApplicationShutdown(): Promise<void> {
    // A shard that is down would hold the shutdown for a whole write deadline: give up at once.
    this.stopping.abort();
    await this.schema;
    await this.users.close();
  }

  private async ensureSchemaUntilDone(): Promise<void> {
    const { signal } = this.stopping;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await this.users.ensureSchema(signal);
        if (attempt > 1) this.logger.info({ attempt }, 'user schema ready');
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.logger.warn({ attempt, error: describeError(error).message }, 'user schema not ready yet; retrying');
        await setTimeout(Math.min(250 * attempt, 2_000), undefined, { signal }).catch(() => undefined);
      }
    }
  }
}
