import { type DynamicModule, type InjectionToken, Module } from '@nestjs/common';
import type { HealthCheck } from './health-check.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { DEFAULT_HEALTH_TIMEOUT_MS, HEALTH_CHECKS, HEALTH_OPTIONS, type HealthOptions } from './health.tokens.js';

export interface HealthModuleOptions {
  /** Providers the factory needs (the Redis connection, the NATS client, …). */
  readonly inject?: InjectionToken[];
  /** The instance's checks, one per dependency. */
  readonly useFactory: (...deps: never[]) => readonly HealthCheck[];
  readonly timeoutMs?: number;
}

/** `GET /health` and `GET /health/live` over the checks the app declares. Needs a global prom-client `Registry`. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    const healthOptions: HealthOptions = { timeoutMs: options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS };
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_CHECKS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: HEALTH_OPTIONS, useValue: healthOptions },
        HealthService,
      ],
      exports: [HealthService],
    };
  }
}
