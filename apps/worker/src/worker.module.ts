import { type DynamicModule, Module } from '@nestjs/common';
import { ClientNats } from '@nestjs/microservices';
import type { WorkerConfig } from '#libs/config';
import { AppConfigModule, ObservabilityModule } from '#libs/observability';
import {
  HealthModule,
  NatsClientModule,
  natsHealthCheck,
  postgresHealthChecks,
  RedisModule,
  redisHealthCheck,
} from '#libs/health';
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

/** Background jobs (BullMQ on Redis) fed by events from NATS, writing to the Postgres shards. */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
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
    };
  }
}
