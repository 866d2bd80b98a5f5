import { type DynamicModule, Module } from '@nestjs/common';
import type { MediaConfig } from '#libs/config';
import { AppConfigModule, ObservabilityModule } from '#libs/observability';
import {
  createNatsPingController,
  HealthModule,
  natsHealthCheck,
  NatsServerModule,
  postgresHealthChecks,
  ResilientNatsServer,
} from '#libs/health';

/** The media service: media metadata on the Postgres shards, served over NATS. */
@Module({})
export class MediaModule {
  static forRoot(config: MediaConfig): DynamicModule {
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
      controllers: [createNatsPingController('media.ping')],
    };
  }
}
