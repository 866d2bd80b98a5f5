import type { ComponentStatus } from '#libs/lab';
import type { Topology } from '#libs/topology';
import type { ComponentTargetSpec } from '../experiments/index.js';

/** A component target as typed in the experiment, for messages: `shard0-1`, `primaryOf 0`. */
export const describeTarget = (target: ComponentTargetSpec): string =>
  typeof target === 'string' ? target : 'primaryOf' in target ? `primaryOf ${target.primaryOf}` : `replicaOf ${target.replicaOf}`;

/**
 * The component a target names now: an id as is; `{ primaryOf: N }` the node of shard N whose role the
 * failover monitor reports as primary, `{ replicaOf: N }` one it reports as secondary. Undefined when no node
 * holds the role (a shard mid-failover has no primary).
 */
export function resolveComponentTarget(target: ComponentTargetSpec, topology: Topology, components: readonly Pick<ComponentStatus, 'id' | 'role' | 'running'>[]): string | undefined {
  if (typeof target === 'string') return target;
  const shard = 'primaryOf' in target ? target.primaryOf : target.replicaOf;
  const role = 'primaryOf' in target ? 'primary' : 'secondary';
  const nodes = topology.shards.find((s) => s.id === shard)?.nodes ?? [];
  return components.find((c) => nodes.includes(c.id) && c.running && c.role === role)?.id;
}

/** The shard a component is a Postgres node of, if it is one. */
export const shardOfComponent = (topology: Topology, id: string): number | undefined => topology.components.find((c) => c.id === id && c.kind === 'postgres')?.shard;
