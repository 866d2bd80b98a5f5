// Logs, metrics and request ids of one service instance, and the HTTP app that carries them.
export type { InstanceIdentity } from './instance-identity.js';
export { createLogger } from './logging/create-logger.js';
export { PinoNestLogger } from './logging/pino-nest.logger.js';
export { REQUEST_ID_HEADER, resolveRequestId } from './http/request-id.js';
export { HttpMetrics, type HttpRequestLabels } from './http/http-metrics.js';
export { instrumentHttp, UNMATCHED_ROUTE } from './http/instrument-http.js';
export { createMetricsRegistry } from './metrics/metrics-registry.js';
export { MetricsController } from './metrics/metrics.controller.js';
export { ObservabilityModule } from './observability.module.js';
export { PINO_LOGGER } from './observability.tokens.js';
export { createHttpApp } from './app/create-http-app.js';
export { serve, SHUTDOWN_DEADLINE_MS, startHttpApp } from './app/serve.js';
export { EXIT_CONFIG_INVALID, EXIT_START_FAILED, runMain } from './app/run-main.js';
export { APP_CONFIG, AppConfigModule } from './app-config.module.js';
