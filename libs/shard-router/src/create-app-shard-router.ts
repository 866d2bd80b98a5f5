import type { Registry } from 'prom-client';
import type { ShardConfig } from '#libs/config';
import { createShardRouter, type ShardRouterOptions } from './create-shard-router.js';
import type { EntityList } from './node-connection.js';
import type { ShardRouter } from './shard-router.js';

/** What a service's config says about itself and the shards (every service config has these). */
export interface AppShardSettings {
  readonly instanceId: string;
  readonly dc: string;
  readonly shards: readonly ShardConfig[];
}

/** A pino-like logger. */
export type RouterLogger = Record<'debug' | 'info' | 'warn' | 'error', (fields: Record<string, unknown>, message: string) => void>;

/**
 * The router a service instance uses: its connections named after the instance (Postgres shows them in
 * `pg_stat_activity`), replica reads preferring nodes in its own DC (the config's nodes carry their DC),
 * metrics in the instance's registry and log lines in its logger.
 */
export function createAppShardRouter(
  config: AppShardSettings,
  deps: { readonly registry: Registry; readonly logger: RouterLogger; readonly entities?: EntityList },
  overrides: Partial<ShardRouterOptions> = {},
): ShardRouter {
  const nodeDc = Object.fromEntries(config.shards.flatMap((shard) => shard.nodes.flatMap((node) => (node.dc ? [[node.name, node.dc]] : []))));
  return createShardRouter({
    shards: config.shards,
    dc: config.dc,
    nodeDc,
    metrics: deps.registry,
    applicationName: config.instanceId,
    ...(deps.entities && { entities: deps.entities }),
    log: (level, message, fields) => deps.logger[level](fields ?? {}, message),
    ...overrides,
  });
}
