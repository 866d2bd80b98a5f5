// Readiness and liveness of a service instance, and the dependency connections the checks run on.
export type { HealthCheck, HealthCheckContext, HealthDetails } from './health-check.js';
export type { CheckResult, HealthReport } from './health-report.js';
export {
  DependencyUnavailableError,
  HealthCheckTimeoutError,
  isDependencyUnavailableError,
  isHealthCheckTimeoutError,
} from './health.errors.js';
export { describeError } from './describe-error.js';
export { retryUntilDone, type RetryUntilDoneOptions } from './retry-until-done.js';
export { runHealthCheck, runHealthChecks } from './run-health-checks.js';
export { DEFAULT_HEALTH_TIMEOUT_MS, HEALTH_CHECKS } from './health.tokens.js';
export { HealthService } from './health.service.js';
export { HealthController } from './health.controller.js';
export { HealthModule, type HealthModuleOptions } from './health.module.js';
export { closeRedisConnection, createRedisConnection, type RedisConnectionOptions } from './redis/redis.connection.js';
export { RedisModule } from './redis/redis.module.js';
export { redisHealthCheck } from './redis/redis.health.js';
export { natsConnectionOptions, type NatsConnectionSettings } from './nats/nats-connection.options.js';
export { NatsClientModule } from './nats/nats-client.module.js';
export { ResilientNatsServer } from './nats/resilient-nats.server.js';
export { NatsServerModule, type NatsServerSettings } from './nats/nats-server.module.js';
export { natsHealthCheck } from './nats/nats.health.js';
export { postgresHealthChecks, type NodeProbe } from './postgres/postgres.health.js';
export { createNatsPingController, type PingReply } from './nats/nats-ping.controller.js';
