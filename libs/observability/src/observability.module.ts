import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#libs/config';
import { Registry } from 'prom-client';
import { HttpMetrics } from './http/http-metrics.js';
import { createLogger } from './logging/create-logger.js';
import { PinoNestLogger } from './logging/pino-nest.logger.js';
import { createMetricsRegistry } from './metrics/metrics-registry.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { PINO_LOGGER } from './observability.tokens.js';

/**
 * Logging and metrics of one instance: the pino logger (`PINO_LOGGER`), the prom-client
 * `Registry` every module registers its metrics in, `HttpMetrics`, and `GET /metrics`.
 * Global, so feature modules can inject the logger and registry without importing this.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [MetricsController],
      providers: [
        { provide: PINO_LOGGER, useFactory: () => createLogger(config) },
        { provide: Registry, useFactory: () => createMetricsRegistry(config) },
        { provide: HttpMetrics, inject: [Registry], useFactory: (registry: Registry) => new HttpMetrics(registry) },
        { provide: PinoNestLogger, inject: [PINO_LOGGER], useFactory: (logger) => new PinoNestLogger(logger) },
      ],
      exports: [PINO_LOGGER, Registry, HttpMetrics, PinoNestLogger],
    };
  }
}
