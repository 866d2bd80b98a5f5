// The environment contract of the four services (see ../README.md): read and validated once.
export { appDependencies, appNames, type AppName, type Dependency } from './app-name.js';
export {
  DEFAULT_API_CONFIG,
  logLevels,
  type ApiConfig,
  type AppConfig,
  type AppConfigOf,
  type GatewayConfig,
  type HttpConfig,
  type LogLevel,
  type MediaConfig,
  type NatsConfig,
  type RedisConfig,
  type ShardConfig,
  type ShardNodeConfig,
  type UserConfig,
  type WorkerConfig,
} from './app.config.js';
export { ConfigError, isConfigError, type ConfigIssue } from './config.error.js';
export { loadAppConfig, type Env } from './load-app-config.js';
export { toAppEnv } from './app-env.js';
