import type { Component, ComponentKind, Topology } from '#libs/topology';

/**
 * The order the lab starts in: each wave needs the ones before it (everything talks through the fault
 * proxy's links; a replica is cloned from its primary; apps need their stores). Within a wave,
 * components start in parallel. `down` stops the waves in reverse. The two Postgres waves (initial
 * primaries, then replicas) are reordered by `labUp` from the monitor's view once it runs.
 */
const waveOf = (c: Component): number => {
  const byKind: Record<ComponentKind, number> = {
    'fault-proxy': 0,
    'postgres-monitor': 1,
    redis: 1,
    nats: 1,
    postgres: c.initialRole === 'primary' ? 2 : 3,
    gateway: 4,
    user: 4,
    media: 4,
    worker: 4,
    'load-balancer': 5,
    'cdn-edge': 5,
    'geo-front': 6,
    // Observability last, so that it starts against a lab that is up (and `down` stops it first).
    prometheus: 7,
    dashboard: 7,
  };
  return byKind[c.kind];
};

export function startWaves(topology: Topology): Component[][] {
  const waves: Component[][] = [];
  for (const component of topology.components) (waves[waveOf(component)] ??= []).push(component);
  return waves.filter((wave) => wave.length > 0);
}

/**
 * The waves with the two Postgres waves (initial primaries, then replicas) replaced by the monitor's view:
 * each shard's current primary, then the other nodes. Starting follows it; stopping reverses it, so the
 * standbys stop before their primary and the monitor never sees a primary die with a standby to promote.
 */
export function withPostgresOrder(waves: readonly Component[][], order: { primaries: Component[]; others: Component[] }): Component[][] {
  const postgresWaves = waves.map((wave, i) => (wave.some((c) => c.kind === 'postgres') ? i : -1)).filter((i) => i >= 0);
  if (postgresWaves.length === 0) return [...waves];
  const first = postgresWaves[0]!;
  const rest = waves.filter((_, i) => !postgresWaves.includes(i));
  const ordered = [order.primaries, order.others].filter((wave) => wave.length > 0);
  return [...rest.slice(0, first), ...ordered, ...rest.slice(first)];
}
