import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ClientNats } from '@nestjs/microservices';
import { PINO_LOGGER } from '#libs/observability';
import type { Logger } from 'pino';
import { describeError } from '../describe-error.js';
import { natsConnectionOptions, type NatsConnectionSettings } from './nats-connection.options.js';

/**
 * Provides the instance's NATS client (`ClientNats`, a Nest `ClientProxy` for request-reply and
 * events; inject it by its class). It connects at startup in the background: a failure is logged
 * and retried on the next use or health check, never fatal. Closed on shutdown.
 */
@Module({})
export class NatsClientModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ClientNats) private readonly client: ClientNats,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  static forRoot(settings: NatsConnectionSettings): DynamicModule {
    return {
      module: NatsClientModule,
      global: true,
      providers: [{ provide: ClientNats, useFactory: () => new ClientNats(natsConnectionOptions(settings)) }],
      exports: [ClientNats],
    };
  }

  onApplicationBootstrap(): void {
    this.client.connect().catch((error: unknown) => {
      this.logger.warn({ error: describeError(error).message }, 'NATS not reachable at startup; will retry on use');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
