import { type DynamicModule, Module } from '@nestjs/common';
import { natsConnectionOptions, type NatsConnectionSettings } from './nats-connection.options.js';
import { ResilientNatsServer } from './resilient-nats.server.js';

export interface NatsServerSettings extends NatsConnectionSettings {
  /**
   * Queue group of the service's handlers: a request or event is handled by one instance of the
   * service, not by every instance (Nest's default).
   */
  readonly queue: string;
  /** The instance's data center: callers there reach it on DC-local subjects first (see `localSubject`). */
  readonly dc?: string;
}

/**
 * Provides the instance's `ResilientNatsServer`. The app attaches it with
 * `app.connectMicroservice({ strategy: app.get(ResilientNatsServer) })`; Nest closes it on shutdown.
 */
@Module({})
export class NatsServerModule {
  static forRoot(settings: NatsServerSettings): DynamicModule {
    return {
      module: NatsServerModule,
      global: true,
      providers: [
        {
          provide: ResilientNatsServer,
          useFactory: () => new ResilientNatsServer({ ...natsConnectionOptions(settings), queue: settings.queue }, undefined, settings.dc),
        },
      ],
      exports: [ResilientNatsServer],
    };
  }
}
