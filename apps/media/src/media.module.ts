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
import { createShardRouter, type ShardRouter } from '#libs/shard-router';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { MediaMessagesController } from './media-messages.controller.js';
import { MEDIA_SHARD_ROUTER, MediaServiceLifecycle } from './media-service.lifecycle.js';
import { MediaService } from './media/media.service.js';

/** The media service: event-sourced media items and their bytes on the owner's Postgres shard, served over NATS. */
@Module({})
export class MediaModule {
  static forRoot(config: MediaConfig): DynamicModule {
    const nodeDc = Object.fromEntries(config.shards.flatMap((shard) => shard.nodes.flatMap((node) => (node.dc ? [[node.name, node.dc]] : []))));
    return {
      module: MediaModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config),
        NatsServerModule.forRoot({ servers: config.nats.servers, name: config.instanceId, queue: config.app }),
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
            createShardRouter({
              shards: config.shards,
              dc: config.dc,
              nodeDc,
              metrics: registry,
              applicationName: config.instanceId,
              entities: [...EVENT_STORE_ENTITIES],
              log: (level, message, fields) => logger[level](fields ?? {}, message),
            }),
        },
        { provide: MediaService, inject: [MEDIA_SHARD_ROUTER], useFactory: (router: ShardRouter) => new MediaService({ router }) },
        MediaServiceLifecycle,
      ],
    };
  }
}
