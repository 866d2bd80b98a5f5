import { type DynamicModule, Module } from '@nestjs/common';
import type { MediaConfig } from '#libs/config';
import { EVENT_STORE_ENTITIES } from '#libs/event-store';
import {
  createNatsPingController,
  HealthModule,
  natsHealthCheck,
  NatsServerModule,
  postgresHealthChecks,
  ResilientNatsServer,
} from '#libs/health';
import { MessageMetrics } from '#libs/messaging';
import { AppConfigModule, ObservabilityModule, PINO_LOGGER } from '#libs/observability';
import { createAppShardRouter, type ShardRouter } from '#libs/shard-router';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { MediaMessagesController } from './media-messages.controller.js';
import { MEDIA_SHARD_ROUTER, MediaServiceLifecycle } from './media-service.lifecycle.js';
import { MediaService } from './media/media.service.js';

/** The media service: event-sourced media items and their bytes on the owner's Postgres shard, served over NATS. */
@Module({})
export class MediaModule {
  static forRoot(config: MediaConfig): DynamicModule {
    return {
      module: MediaModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config),
        NatsServerModule.forRoot({ servers: config.nats.servers, name: config.instanceId, queue: config.app, dc: config.dc }),
        HealthModule.forRoot({
          inject: [ResilientNatsServer],
          useFactory: (nats: ResilientNatsServer) => [natsHealthCheck(() => nats.connection()), ...postgresHealthChecks(config.shards)],
        }),
      ],
      controllers: [createNatsPingController('media.ping'), MediaMessagesController],
      providers: [
        { provide: MessageMetrics, inject: [Registry], useFactory: (registry: Registry) => new MessageMetrics(registry) },
        {
          provide: MEDIA_SHARD_ROUTER,
          inject: [Registry, PINO_LOGGER],
          useFactory: (registry: Registry, logger: Logger): ShardRouter =>
            createAppShardRouter(config, { registry, logger, entities: [...EVENT_STORE_ENTITIES] }),
        },
        { provide: MediaService, inject: [MEDIA_SHARD_ROUTER], useFactory: (router: ShardRouter) => new MediaService({ router }) },
        MediaServiceLifecycle,
      ],
    };
  }
}
