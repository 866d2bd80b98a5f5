import { Counter, Gauge, Registry } from 'prom-client';
import type { PoolUsage } from './node-connection.js';

/**
 * How a `write` ended: `ok`; `rejected` — the work threw an error that is not a node failure (a conflict, a
 * constraint: the shard answered); `unavailable` — no primary did the work before the deadline
 * (SHARD_UNAVAILABLE); `aborted` — the caller's signal or the router's close ended it first.
 */
export const WRITE_OUTCOMES = ['ok', 'rejected', 'unavailable', 'aborted'] as const;
export type WriteOutcome = (typeof WRITE_OUTCOMES)[number];

/** One pool the router owns, as sampled when the registry is scraped. */
export interface PoolSample {
  readonly shard: string;
  readonly node: string;
  readonly usage: PoolUsage | undefined;
}

/** The router's metrics on one registry (shared by every router on it: series are told apart by shard and node). */
export interface ShardRouterMetrics {
  readonly primaryInfo: Gauge<'shard' | 'node'>;
  readonly replicaLagBytes: Gauge<'shard' | 'node'>;
  readonly replicaLagSeconds: Gauge<'shard' | 'node'>;
  readonly nodeUp: Gauge<'shard' | 'node'>;
  readonly rediscoveries: Counter<'shard'>;
  readonly writeRetries: Counter<'shard'>;
  readonly writes: Counter<'shard' | 'outcome'>;
  readonly poolConnections: Gauge<'shard' | 'node' | 'state'>;
  /** Sources the pool gauge reads at scrape time; a router adds its own and removes it on close. */
  readonly poolSources: Set<() => readonly PoolSample[]>;
}

const byRegistry = new WeakMap<Registry, ShardRouterMetrics>();

/** An existing metric of that name on the registry (another router made it), or a new one. */
function metric<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

export function shardRouterMetrics(registry: Registry = new Registry()): ShardRouterMetrics {
  const known = byRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const poolSources = new Set<() => readonly PoolSample[]>();
  const metrics: ShardRouterMetrics = {
    primaryInfo: metric(registry, 'faultline_shard_primary_info', () =>
      new Gauge({
        name: 'faultline_shard_primary_info',
        help: 'The node the shard router currently believes is the primary of each shard: 1 for it, 0 for the other nodes (all 0 while unknown).',
        labelNames: ['shard', 'node'] as const,
        registers,
      }),
    ),
    replicaLagBytes: metric(registry, 'faultline_replica_lag_bytes', () =>
      new Gauge({
        name: 'faultline_replica_lag_bytes',
        help: "Bytes of WAL between the primary's current position and what each replica has replayed (probed every few seconds).",
        labelNames: ['shard', 'node'] as const,
        registers,
      }),
    ),
    replicaLagSeconds: metric(registry, 'faultline_replica_lag_seconds', () =>
      new Gauge({
        name: 'faultline_replica_lag_seconds',
        help: 'Age of the last transaction each replica replayed, or 0 when it has replayed everything the primary had written (probed every few seconds).',
        labelNames: ['shard', 'node'] as const,
        registers,
      }),
    ),
    nodeUp: metric(registry, 'faultline_shard_node_up', () =>
      new Gauge({
        name: 'faultline_shard_node_up',
        help: "Whether the shard router's last probe of each node got an answer (1) or not (0).",
        labelNames: ['shard', 'node'] as const,
        registers,
      }),
    ),
    rediscoveries: metric(registry, 'faultline_shard_rediscoveries_total', () =>
      new Counter({
        name: 'faultline_shard_rediscoveries_total',
        help: 'Primary discoveries run because the known primary failed (connection lost, read-only, shutting down) or was not known.',
        labelNames: ['shard'] as const,
        registers,
      }),
    ),
    writeRetries: metric(registry, 'faultline_shard_write_retries_total', () =>
      new Counter({
        name: 'faultline_shard_write_retries_total',
        help: 'Writes attempted again after a node failure (connection lost, read-only window, no primary known).',
        labelNames: ['shard'] as const,
        registers,
      }),
    ),
    writes: metric(registry, 'faultline_shard_writes_total', () =>
      new Counter({
        name: 'faultline_shard_writes_total',
        help: 'Writes asked of the router, by shard and outcome: ok, rejected (an error that is not a node failure: the shard answered), unavailable (no primary did it before the deadline), aborted (by the caller or the router closing).',
        labelNames: ['shard', 'outcome'] as const,
        registers,
      }),
    ),
    poolConnections: metric(registry, 'faultline_db_pool_connections', () =>
      new Gauge({
        name: 'faultline_db_pool_connections',
        help: 'Connections of the pg pool of each node: total, idle, and requests waiting for one.',
        labelNames: ['shard', 'node', 'state'] as const,
        registers,
        collect() {
          this.reset();
          for (const source of poolSources) {
            for (const { shard, node, usage } of source()) {
              this.set({ shard, node, state: 'total' }, usage?.total ?? 0);
              this.set({ shard, node, state: 'idle' }, usage?.idle ?? 0);
              this.set({ shard, node, state: 'waiting' }, usage?.waiting ?? 0);
            }
          }
        },
      }),
    ),
    poolSources,
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
