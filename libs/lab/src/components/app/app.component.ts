import { dirname, join } from 'node:path';
import { DEFAULT_API_CONFIG, toAppEnv, type AppConfig } from '#libs/config';
import type { AppKind, Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { labSecret } from '../../lab-secret.js';
import { httpHealth } from '../../readiness/http-health.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';

/**
 * An app instance's configuration. Every address is the instance's own link through the fault proxy,
 * so a fault can single it out; which dependencies it has is the topology's links.
 */
export function appConfigOf(component: Component & { kind: AppKind }, ctx: LabContext): AppConfig {
  const { topology } = ctx;
  const dc = component.dc!;
  const hasLink = (to: string) => topology.links.some((l) => l.from === component.id && l.to === to);
  const via = (to: string) => {
    const link = ctx.link(component.id, to);
    return `${link.listen.host}:${link.listen.port}`;
  };
  const base = {
    instanceId: component.id,
    dc,
    http: { host: component.host, port: component.port },
    logLevel: (process.env.FAULTLINE_LOG_LEVEL as AppConfig['logLevel'] | undefined) ?? 'info',
    nats: { servers: [`nats://${via(`${dc}.nats`)}`] },
  };
  const redis = hasLink(`${dc}.redis`) ? { redis: { url: `redis://${via(`${dc}.redis`)}` } } : {};
  const shards = () => topology.shards.map((shard) => ({
    id: shard.id,
    formation: shard.formation,
    monitorUrl: `postgres://autoctl_node@${via('monitor')}/pg_auto_failover`,
    nodes: shard.nodes.map((nodeId) => ({ name: nodeId, url: `postgres://postgres@${via(nodeId)}/app`, dc: topology.components.find((c) => c.id === nodeId)!.dc! })),
  }));
  const api = component.kind === 'gateway' ? { api: { ...DEFAULT_API_CONFIG, sessionSecret: labSecret(ctx.paths, 'session') } } : {};
  return { app: component.kind, ...base, ...redis, ...api, ...(hasLink(topology.shards[0]!.nodes[0]!) ? { shards: shards() } : {}) } as AppConfig;
}

export const appEntryPoint = (ctx: LabContext, kind: AppKind): string =>
  join(dirname(ctx.faultlineBin), '..', 'dist', 'apps', kind, 'src', 'main.js');

const appRunner = (kind: AppKind): ComponentRunner => ({
  kind,
  async prepare(): Promise<void> {},
  launch(component: Component, ctx: LabContext): ProcessLaunch {
    return {
      command: process.execPath,
      args: [appEntryPoint(ctx, kind)],
      env: toAppEnv(appConfigOf(component as Component & { kind: AppKind }, ctx)),
      stopSignal: 'SIGTERM',
    };
  },
  check(component: Component): Promise<ComponentHealth> {
    return httpHealth(`http://${component.host}:${component.port}/health`, 1500);
  },
});

export const gatewayRunner = appRunner('gateway');
export const userRunner = appRunner('user');
export const mediaRunner = appRunner('media');
export const workerRunner = appRunner('worker');
