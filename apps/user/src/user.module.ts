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
import { AppConfigModule, ObservabilityModule } from '#libs/observability';
import { Redis } from 'ioredis';

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
        NatsServerModule.forRoot({ servers: config.nats.servers, name: config.instanceId, queue: config.app }),
        HealthModule.forRoot({
          inject: [Redis, ResilientNatsServer],
          useFactory: (redis: Redis, nats: ResilientNatsServer) => [
            redisHealthCheck(redis),
            natsHealthCheck(() => nats.connection()),
            ...postgresHealthChecks(config.shards),
          ],
        }),
      ],
      controllers: [createNatsPingController('user.ping')],
    };
  }
}
