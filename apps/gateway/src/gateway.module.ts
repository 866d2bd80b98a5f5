import { type DynamicModule, Module } from '@nestjs/common';
import { ClientNats } from '@nestjs/microservices';
import type { GatewayConfig } from '#libs/config';
import { AppConfigModule, ObservabilityModule } from '#libs/observability';
import { HealthModule, NatsClientModule, natsHealthCheck, RedisModule, redisHealthCheck } from '#libs/health';
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

/** The public HTTP API: sessions in Redis, calls to the services over NATS. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
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
          ],
        }),
      ],
    };
  }
}
