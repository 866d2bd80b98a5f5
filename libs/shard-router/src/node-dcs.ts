import type { Topology } from '#libs/topology';

/**
 * The data center of every Postgres node of a topology, by node name, for `ShardRouterOptions.nodeDc`:
 * node names (`shard0-2`) do not say where the node lives, the topology does.
 */
export function nodeDcsOf(topology: Pick<Topology, 'components'>): Record<string, string> {
  const dcs: Record<string, string> = {};
  for (const c of topology.components) if (c.kind === 'postgres' && c.dc) dcs[c.id] = c.dc;
  return dcs;
}
