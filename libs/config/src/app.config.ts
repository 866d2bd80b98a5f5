import type { AppName } from './app-name.js';

/** Pino's levels; `silent` turns logging off (tests). */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface HttpConfig {
  readonly host: string;
  /** 0 asks the OS for a free port (tests). */
  readonly port: number;
}

export interface RedisConfig {
  readonly url: string;
}

export interface NatsConfig {
  /** `nats://host:port` URLs, in the order given. */
  readonly servers: readonly string[];
}

export interface ShardNodeConfig {
  /** The Postgres node's name in the topology, e.g. `shard0-a`. */
  readonly name: string;
  readonly url: string;
  /** The node's data center: replica reads prefer the caller's own. */
  readonly dc?: string;
}

export interface ShardConfig {
  readonly id: number;
  /** Every node of the shard; which one is primary is discovered at run time, not configured. */
  readonly nodes: readonly ShardNodeConfig[];
  /** pg_auto_failover monitor that knows the shard's current primary. */
  readonly monitorUrl?: string;
  /** The shard's pg_auto_failover formation, e.g. `shard0`. */
  readonly formation?: string;
}

interface BaseAppConfig {
  readonly instanceId: string;
  readonly dc: string;
  readonly http: HttpConfig;
  readonly logLevel: LogLevel;
}

/** The public API's limits. */
export interface ApiConfig {
  /** Requests per second one client (a session's user, else its address) may make; more get 429. */
  readonly rateLimitPerSecond: number;
  /** A session expires this long after login: the token carries its expiry, so every gateway agrees. */
  readonly sessionTtlSeconds: number;
}

/** What signs the session tokens: the same for every gateway of a lab, so any of them (in any DC) verifies any token. */
export interface SessionSecretConfig {
  readonly sessionSecret: string;
}

export const DEFAULT_API_CONFIG: ApiConfig = { rateLimitPerSecond: 100, sessionTtlSeconds: 86_400 };

export interface GatewayConfig extends BaseAppConfig {
  readonly app: 'gateway';
  readonly redis: RedisConfig;
  readonly nats: NatsConfig;
  readonly api: ApiConfig & SessionSecretConfig;
}

export interface UserConfig extends BaseAppConfig {
  readonly app: 'user';
  readonly shards: readonly ShardConfig[];
  readonly redis: RedisConfig;
  readonly nats: NatsConfig;
}

export interface MediaConfig extends BaseAppConfig {
  readonly app: 'media';
  readonly shards: readonly ShardConfig[];
  readonly nats: NatsConfig;
}

export interface WorkerConfig extends BaseAppConfig {
  readonly app: 'worker';
  readonly redis: RedisConfig;
  readonly nats: NatsConfig;
  readonly shards: readonly ShardConfig[];
}

/** One service instance's validated configuration; narrow on `app`. */
export type AppConfig = GatewayConfig | UserConfig | MediaConfig | WorkerConfig;
export type AppConfigOf<A extends AppName> = Extract<AppConfig, { app: A }>;
