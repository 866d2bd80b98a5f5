import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ClientNats } from '@nestjs/microservices';
import type { GatewayConfig } from '#libs/config';
import { AppConfigModule, ObservabilityModule } from '#libs/observability';
import { HealthModule, NatsClientModule, natsHealthCheck, RedisModule, redisHealthCheck } from '#libs/health';
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { ApiErrorFilter } from './http/api-error.filter.js';
import { MediaController } from './media/media.controller.js';
import { mediaProviders } from './media/media.providers.js';
import { OpenApiController } from './openapi/openapi.controller.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import { NatsRequestTransport } from './services/nats-request.transport.js';
import { ServiceCallMetrics } from './services/service-call.metrics.js';
import { DEFAULT_SERVICE_CLIENT_OPTIONS, ServiceClient } from './services/service-client.js';
import { SessionAuth } from './sessions/session-auth.js';
import { SessionRevocations } from './sessions/session-revocations.js';
import { SessionTokens } from './sessions/session-token.js';
import { SessionStore } from './sessions/session.store.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { UsersController } from './users/users.controller.js';

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
      controllers: [UsersController, SessionsController, MediaController, OpenApiController],
      providers: [
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        {
          provide: SessionStore,
          inject: [Redis],
          useFactory: (redis: Redis) => new SessionStore(redis, new SessionTokens(config.api.sessionSecret), config.api.sessionTtlSeconds),
        },
        SessionRevocations,
        { provide: SessionAuth, inject: [SessionStore], useFactory: (sessions: SessionStore) => new SessionAuth(sessions) },
        { provide: RateLimiter, inject: [Redis], useFactory: (redis: Redis) => new RateLimiter(redis, config.api.rateLimitPerSecond) },
        RateLimitGuard,
        { provide: ServiceCallMetrics, inject: [Registry], useFactory: (registry: Registry) => new ServiceCallMetrics(registry) },
        {
          provide: ServiceClient,
          inject: [ClientNats, ServiceCallMetrics],
          useFactory: (nats: ClientNats, metrics: ServiceCallMetrics) =>
            new ServiceClient(
              // A pending request outlives the attempt that gave up on it by a margin at most.
              new NatsRequestTransport(() => nats.connect() as Promise<NatsConnection>, {
                timeoutMs: DEFAULT_SERVICE_CLIENT_OPTIONS.attemptTimeoutMs + 1_000,
                dc: config.dc,
              }),
              metrics,
            ),
        },
        ...mediaProviders,
      ],
    };
  }
}
