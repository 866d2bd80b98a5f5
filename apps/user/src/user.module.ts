import { type DynamicModule, Module } from '@nestjs/common';
import type { UserConfig } from '#libs/config';
import {
  createNatsPingController,
  HealthModule,
  natsHealthCheck,
  NatsServerModule,
  postgresHealthChecks,
  RedisModule,
  redisHealthCheck,
  ResilientNatsServer,
} from '#libs/health';
import { EVENT_STORE_ENTITIES } from '#libs/event-store';
import { MessageMetrics } from '#libs/messaging';
import { AppConfigModule, ObservabilityModule, PINO_LOGGER } from '#libs/observability';
import { createAppShardRouter, type ShardRouter } from '#libs/shard-router';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { UserMessagesController } from './user-messages.controller.js';
import { UserServiceLifecycle } from './user-service.lifecycle.js';
import { ProfileCache } from './users/profile-cache.js';
import { UserService } from './users/user.service.js';

const SHARD_ROUTER = Symbol('SHARD_ROUTER');

/** The user service: event-sourced users on the Postgres shards, cached in Redis, served over NATS. */
@Module({})
export class UserModule {
  static forRoot(config: UserConfig): DynamicModule {
    return {
      module: UserModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config),
        RedisModule.forRoot({ url: config.redis.url, connectionName: config.instanceId }),
        NatsServerModule.forRoot({ servers: config.nats.servers, name: config.instanceId, queue: config.app, dc: config.dc }),
        HealthModule.forRoot({
          inject: [Redis, ResilientNatsServer],
          useFactory: (redis: Redis, nats: ResilientNatsServer) => [
            redisHealthCheck(redis),
            natsHealthCheck(() => nats.connection()),
            ...postgresHealthChecks(config.shards),
          ],
        }),
      ],
      controllers: [createNatsPingController('user.ping'), UserMessagesController],
      providers: [
        { provide: MessageMetrics, inject: [Registry], useFactory: (registry: Registry) => new MessageMetrics(registry) },
        {
          provide: SHARD_ROUTER,
          inject: [Registry, PINO_LOGGER],
          useFactory: (registry: Registry, logger: Logger): ShardRouter =>
            createAppShardRouter(config, { registry, logger, entities: [...EVENT_STORE_ENTITIES] }),
        },
        {
          provide: ProfileCache,
          inject: [Redis, Registry, PINO_LOGGER],
          useFactory: (redis: Redis, registry: Registry, logger: Logger) =>
            new ProfileCache({
              redis,
              registry,
              onError: (error, operation) => logger.debug({ err: error, operation }, 'profile cache unavailable; using the database'),
            }),
        },
        {
          provide: UserService,
          inject: [SHARD_ROUTER, ProfileCache],
          useFactory: (router: ShardRouter, cache: ProfileCache) => new UserService({ router, cache }),
        },
        UserServiceLifecycle,
      ],
    };
  }
}
