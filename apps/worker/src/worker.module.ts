import { type DynamicModule, Module } from '@nestjs/common';
import { ClientNats } from '@nestjs/microservices';
import type { WorkerConfig } from '#libs/config';
import { QUEUES, type ThumbnailJobData, type WelcomeMailJobData } from '#libs/contracts';
import { AppConfigModule, ObservabilityModule, PINO_LOGGER } from '#libs/observability';
import {
  HealthModule,
  NatsClientModule,
  natsHealthCheck,
  postgresHealthChecks,
  RedisModule,
  redisHealthCheck,
} from '#libs/health';
import { EVENT_STORE_ENTITIES } from '#libs/event-store';
import { JobQueue, type JobLog } from '#libs/jobs';
import { createAppShardRouter, type ShardRouter } from '#libs/shard-router';
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { JobEnqueuer, type WorkerQueues } from './jobs/job-enqueuer.js';
import { JobsController } from './jobs/jobs.controller.js';
import { WorkerJobsLifecycle } from './jobs/worker-jobs.lifecycle.js';
import { DEFAULT_WORKER_JOBS_OPTIONS, SHARD_ROUTER, WORKER_JOBS_OPTIONS, WORKER_QUEUES, type WorkerJobsOptions } from './jobs/worker-jobs.options.js';
import { MediaClient } from './media/media.client.js';
import { WorkerEventsLifecycle } from './events/worker-events.lifecycle.js';

const jobLog =
  (logger: Logger): JobLog =>
  (level, message, fields) =>
    logger[level](fields ?? {}, message);

/**
 * Background jobs (BullMQ on Redis): thumbnails of uploaded media (asking the media service over NATS)
 * and welcome mails (into a sink table on the user's shard). Events become jobs through
 * `JobEnqueuer.enqueueForEvent`, called by the event bus's consumers (WorkerEventsLifecycle, which also
 * runs the shards' relays). See ../README.md.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, overrides: Partial<WorkerJobsOptions> = {}): DynamicModule {
    const options: WorkerJobsOptions = { ...DEFAULT_WORKER_JOBS_OPTIONS, ...overrides };
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config),
        RedisModule.forRoot({ url: config.redis.url, connectionName: config.instanceId }),
        NatsClientModule.forRoot({ servers: config.nats.servers, name: config.instanceId }),
        HealthModule.forRoot({
          inject: [Redis, ClientNats],
          useFactory: (redis: Redis, nats: ClientNats) => [
            redisHealthCheck(redis),
            natsHealthCheck(() => nats.connect() as Promise<NatsConnection>),
            ...postgresHealthChecks(config.shards),
          ],
        }),
      ],
      controllers: [JobsController],
      providers: [
        { provide: WORKER_JOBS_OPTIONS, useValue: options },
        {
          provide: SHARD_ROUTER,
          inject: [Registry, PINO_LOGGER],
          useFactory: (registry: Registry, logger: Logger): ShardRouter =>
            createAppShardRouter(config, { registry, logger, entities: [...EVENT_STORE_ENTITIES] }),
        },
        {
          provide: WORKER_QUEUES,
          inject: [Registry, PINO_LOGGER],
          useFactory: (registry: Registry, logger: Logger): WorkerQueues => {
            const common = { redisUrl: config.redis.url, retry: options.retry, enqueueTimeoutMs: options.enqueueTimeoutMs, registry, log: jobLog(logger) };
            return {
              thumbnails: new JobQueue<ThumbnailJobData>({ ...common, name: QUEUES.thumbnails, connectionName: `${config.instanceId}:jobs:${QUEUES.thumbnails}:producer` }),
              welcome: new JobQueue<WelcomeMailJobData>({ ...common, name: QUEUES.welcome, connectionName: `${config.instanceId}:jobs:${QUEUES.welcome}:producer` }),
            };
          },
        },
        { provide: MediaClient, inject: [ClientNats], useFactory: (nats: ClientNats) => new MediaClient(nats, options.media) },
        { provide: JobEnqueuer, inject: [WORKER_QUEUES], useFactory: (queues: WorkerQueues) => new JobEnqueuer(queues) },
        WorkerJobsLifecycle,
        WorkerEventsLifecycle,
      ],
      exports: [JobEnqueuer],
    };
  }
}
