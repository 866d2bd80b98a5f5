import type { AppConfig } from './app.config.js';

/**
 * The environment that makes `loadAppConfig` return `config`: what the runner gives an instance's
 * process, so the variable names and formats are written down only here and in the loader.
 */
export function toAppEnv(config: AppConfig): Record<string, string> {
  return {
    FAULTLINE_APP: config.app,
    FAULTLINE_INSTANCE_ID: config.instanceId,
    FAULTLINE_DC: config.dc,
    FAULTLINE_HTTP_HOST: config.http.host,
    FAULTLINE_HTTP_PORT: String(config.http.port),
    FAULTLINE_LOG_LEVEL: config.logLevel,
    ...('redis' in config ? { FAULTLINE_REDIS_URL: config.redis.url } : {}),
    FAULTLINE_NATS_SERVERS: config.nats.servers.join(','),
    ...('shards' in config ? { FAULTLINE_SHARDS: JSON.stringify(config.shards) } : {}),
    ...('api' in config
      ? {
          FAULTLINE_RATE_LIMIT_PER_SECOND: String(config.api.rateLimitPerSecond),
          FAULTLINE_SESSION_TTL_SECONDS: String(config.api.sessionTtlSeconds),
          FAULTLINE_SESSION_SECRET: config.api.sessionSecret,
        }
      : {}),
  };
}
