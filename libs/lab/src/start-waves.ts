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
  };
  return byKind[c.kind];
};

export function startWaves(topology: Topology): Component[][] {
  const waves: Component[][] = [];
  for (const component of topology.components) (waves[waveOf(component)] ??= []).push(component);
  return waves.filter((wave) => wave.length > 0);
}
