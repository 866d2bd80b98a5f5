import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { WorkerConfig } from '#libs/config';
import { QUEUES, type ThumbnailJobData, type WelcomeMailJobData } from '#libs/contracts';
import { retryUntilDone } from '#libs/health';
import { JobWorker, type JobLog } from '#libs/jobs';
import { APP_CONFIG, PINO_LOGGER } from '#libs/observability';
import type { ShardRouter } from '#libs/shard-router';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { ensureMailOutboxSchema } from '../mail/mail-outbox.schema.js';
import { welcomeProcessor } from '../mail/welcome.processor.js';
import { MediaClient } from '../media/media.client.js';
import { thumbnailProcessor } from '../thumbnails/thumbnail.processor.js';
import type { WorkerQueues } from './job-enqueuer.js';
import { SHARD_ROUTER, WORKER_JOBS_OPTIONS, WORKER_QUEUES, type WorkerJobsOptions } from './worker-jobs.options.js';

/**
 * Runs the worker's BullMQ workers: started once the app is up; at shutdown (before the NATS client,
 * Redis and the pools close) they stop taking jobs, finish the active ones within the grace period or
 * hand them back, then the queues close. Also creates the mail sink table on every shard, in the
 * background, retrying until each shard's primary answers (a shard down at startup must not keep the
 * worker from starting).
 */
@Injectable()
export class WorkerJobsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private workers: { close: JobWorker['close'] }[] = [];
  private readonly stopping = new AbortController();
  private schema: Promise<void> | undefined;
  private readonly log: JobLog;

  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerConfig,
    @Inject(WORKER_JOBS_OPTIONS) private readonly options: WorkerJobsOptions,
    @Inject(WORKER_QUEUES) private readonly queues: WorkerQueues,
    @Inject(SHARD_ROUTER) private readonly router: ShardRouter,
    @Inject(MediaClient) private readonly media: MediaClient,
    @Inject(Registry) private readonly registry: Registry,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.log = (level, message, fields) => logger[level](fields ?? {}, message);
  }

  onApplicationBootstrap(): void {
    this.schema = retryUntilDone(
      (signal) => Promise.all(this.router.shardIds.map((shard) => this.router.write(shard, ({ dataSource }) => ensureMailOutboxSchema(dataSource), { signal }))),
      { signal: this.stopping.signal, what: 'mail sink table', log: (level, fields, message) => this.logger[level](fields, message) },
    );
    const common = {
      redisUrl: this.config.redis.url,
      stalled: this.options.stalled,
      registry: this.registry,
      log: this.log,
    };
    const thumbnails = new JobWorker<ThumbnailJobData, unknown>({
      ...common,
      queue: QUEUES.thumbnails,
      connectionName: `${this.config.instanceId}:jobs:${QUEUES.thumbnails}`,
      concurrency: this.options.thumbnailConcurrency,
      process: thumbnailProcessor(this.media),
    });
    const welcome = new JobWorker<WelcomeMailJobData, unknown>({
      ...common,
      queue: QUEUES.welcome,
      connectionName: `${this.config.instanceId}:jobs:${QUEUES.welcome}`,
      concurrency: this.options.welcomeConcurrency,
      process: welcomeProcessor(this.router),
    });
    this.workers = [thumbnails, welcome];
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop();
    const results = await Promise.all(this.workers.map((worker) => worker.close({ timeoutMs: this.options.shutdownGraceMs })));
    if (results.some((graceful) => !graceful)) this.logger.warn('some jobs outlived the shutdown grace period and were handed back to their queues');
    await Promise.all([this.queues.thumbnails.close(), this.queues.welcome.close()]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    await this.schema;
    await this.router.close();
  }

  private stop(): void {
    this.stopping.abort();
  }
}
