import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { httpGet } from '../../readiness/http-get.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';
import { natsConfig, natsMonitoringPort, natsRouteLinks } from './nats.config.js';

const configFile = (component: Component, ctx: LabContext): string => ctx.paths.confOf(component.id, 'nats.conf');
const monitoringUrl = (component: Component, path: string): string => `http://${component.host}:${natsMonitoringPort(component)}${path}`;

/** Routes this node currently has (from its monitoring endpoint). */
export async function natsRouteCount(component: Component, timeoutMs = 1000): Promise<number> {
  const answer = await httpGet(monitoringUrl(component, '/routez'), { timeoutMs });
  return (JSON.parse(answer.body) as { num_routes: number }).num_routes;
}

/**
 * The node's view of JetStream: in a cluster, which server leads the JetStream meta group (undefined
 * while there is none: at start, until an election ends, or on the minority side of a partition).
 */
export async function natsJetStreamState(component: Component, timeoutMs = 1000): Promise<{ enabled: boolean; clustered: boolean; metaLeader?: string }> {
  const answer = await httpGet(monitoringUrl(component, '/jsz'), { timeoutMs });
  if (answer.status !== 200) return { enabled: false, clustered: false };
  const jsz = JSON.parse(answer.body) as { config?: unknown; meta_cluster?: { leader?: string } };
  return { enabled: jsz.config !== undefined, clustered: jsz.meta_cluster !== undefined, ...(jsz.meta_cluster?.leader ? { metaLeader: jsz.meta_cluster.leader } : {}) };
}

/**
 * Strict JetStream readiness, `/healthz` as NATS means it: in a cluster it fails until this node is in
 * contact with a JetStream meta leader. For whoever must wait for JetStream itself (apps creating
 * streams, tests); the runner's `check` does not wait for it (see there).
 */
export async function natsJetStreamReady(component: Component, timeoutMs = 1000): Promise<void> {
  const answer = await httpGet(monitoringUrl(component, '/healthz'), { timeoutMs });
  if (answer.status !== 200) throw new Error((JSON.parse(answer.body) as { error?: string }).error ?? `/healthz answered ${answer.status}`);
}

/** A NATS node with JetStream; clustered with the other DCs' nodes through the fault proxy. */
export const natsRunner: ComponentRunner = {
  kind: 'nats',

  async prepare(component, ctx): Promise<void> {
    mkdirSync(ctx.paths.dataOf(component.id), { recursive: true });
    const file = configFile(component, ctx);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, natsConfig(component, ctx.topology, ctx.paths));
  },

  launch(component, ctx): ProcessLaunch {
    return { command: 'nats-server', args: ['-c', configFile(component, ctx)], stopSignal: 'SIGTERM' };
  },

  /**
   * Healthy when the node serves clients with JetStream enabled (`/healthz?js-enabled-only=true`); the
   * detail tells whether the JetStream cluster has a meta leader and how many routes are up. Waiting for
   * the meta leader here (plain `/healthz`) made a fresh 2-node cluster ready anywhere between 0.6 and
   * 12 s — when the first route attempt loses the race with the peer's start, the Raft election falls
   * back to its 4–9 s timer — and would mark both nodes unhealthy for the whole of a partition, while
   * core NATS still serves each side. Use `natsJetStreamReady` to wait for JetStream itself.
   */
  async check(component, ctx): Promise<ComponentHealth> {
    try {
      const health = await httpGet(monitoringUrl(component, '/healthz?js-enabled-only=true'), { timeoutMs: 1000 });
      if (health.status !== 200) {
        const reason = (JSON.parse(health.body) as { error?: string }).error ?? `/healthz answered ${health.status}`;
        return { healthy: false, detail: reason };
      }
      const js = await natsJetStreamState(component);
      if (!js.enabled) return { healthy: false, detail: 'JetStream is not enabled' };
      const expectedRoutes = ctx.topology.dataCenters.length > 1 ? natsRouteLinks(component, ctx.topology).length : 0;
      if (expectedRoutes === 0) return { healthy: true, detail: 'JetStream ok' };
      const routes = await natsRouteCount(component);
      const leader = js.metaLeader ? `JetStream leader ${js.metaLeader}` : 'JetStream without meta leader';
      return { healthy: true, detail: `${leader}; routes ${routes}/${expectedRoutes}` };
    } catch (error) {
      return { healthy: false, detail: (error as Error).message };
    }
  },
};
