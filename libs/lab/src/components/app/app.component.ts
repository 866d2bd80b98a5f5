import { dirname, join } from 'node:path';
import type { AppKind, Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { httpGet } from '../../readiness/http-get.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';

/**
 * The environment an app instance reads its config from (validated by libs/config). Every address is
 * the instance's own link through the fault proxy, so faults can single it out.
 */
export function appEnvironment(component: Component, ctx: LabContext): Record<string, string> {
  const { topology } = ctx;
  const dc = component.dc!;
  const hasLink = (to: string) => topology.links.some((l) => l.from === component.id && l.to === to);
  const via = (to: string) => {
    const link = ctx.link(component.id, to);
    return `${link.listen.host}:${link.listen.port}`;
  };
  const env: Record<string, string> = {
    FAULTLINE_APP: component.kind,
    FAULTLINE_INSTANCE_ID: component.id,
    FAULTLINE_DC: dc,
    FAULTLINE_HTTP_HOST: component.host,
    FAULTLINE_HTTP_PORT: String(component.port),
    FAULTLINE_NATS_SERVERS: `nats://${via(`${dc}.nats`)}`,
    FAULTLINE_LOG_LEVEL: process.env.FAULTLINE_LOG_LEVEL ?? 'info',
  };
  if (hasLink(`${dc}.redis`)) env.FAULTLINE_REDIS_URL = `redis://${via(`${dc}.redis`)}`;
  if (topology.shards.some((s) => hasLink(s.nodes[0]!))) {
    env.FAULTLINE_SHARDS = JSON.stringify(
      topology.shards.map((shard) => ({
        id: shard.id,
        formation: shard.formation,
        monitorUrl: `postgres://autoctl_node@${via('monitor')}/pg_auto_failover`,
        nodes: shard.nodes.map((nodeId) => ({ name: nodeId, url: `postgres://postgres@${via(nodeId)}/app` })),
      })),
    );
  }
  return env;
}

export const appEntryPoint = (ctx: LabContext, kind: AppKind): string =>
  join(dirname(ctx.faultlineBin), '..', 'dist', 'apps', kind, 'src', 'main.js');

const appRunner = (kind: AppKind): ComponentRunner => ({
  kind,
  async prepare(): Promise<void> {},
  launch(component: Component, ctx: LabContext): ProcessLaunch {
    return { command: process.execPath, args: [appEntryPoint(ctx, kind)], env: appEnvironment(component, ctx), stopSignal: 'SIGTERM' };
  },
  async check(component: Component): Promise<ComponentHealth> {
    try {
      const answer = await httpGet(`http://${component.host}:${component.port}/health`, { timeoutMs: 1500 });
      if (answer.status === 200) return { healthy: true };
      return { healthy: false, detail: `/health answered ${answer.status}: ${answer.body.slice(0, 300)}` };
    } catch (error) {
      return { healthy: false, detail: (error as Error).message };
    }
  },
});

export const gatewayRunner = appRunner('gateway');
export const userRunner = appRunner('user');
export const mediaRunner = appRunner('media');
export const workerRunner = appRunner('worker');
