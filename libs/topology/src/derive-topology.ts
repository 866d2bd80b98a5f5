import type { AppKind, Component, DataCenter, Link, LinkKind, Shard, Topology } from './topology.model.js';
import { PORT_RANGE_SIZE } from './port-range.js';
import type { TopologySpec } from './topology.spec-schema.js';

const HOST = '127.0.0.1';
/**
 * Postgres nodes listen on a second loopback address, so that the port each registers with the failover
 * monitor can be its ingress proxy on 127.0.0.1 at the same port number (pg_autoctl registers the port
 * it listens on; replication and the monitor's health checks then run through the proxy).
 */
export const POSTGRES_NODE_HOST = '127.0.0.2';
/** Ports of lab-wide services, relative to the port base. */
export const fixedPortOffsets = { faultProxyApi: 0, prometheus: 1, dashboard: 2 } as const;
const COMPONENT_PORTS_FROM = 10;
const PORTS_PER_COMPONENT = 4;
const LINK_PORTS_FROM = 200;

/** Apps that hold state in or read from each kind of dependency. */
const needsPostgres: readonly AppKind[] = ['user', 'media', 'worker'];
const needsRedis: readonly AppKind[] = ['gateway', 'user', 'worker'];

/**
 * Derives every component, port and link from a validated spec. Pure and deterministic: the same spec
 * always yields the same ports and names, which is what lets `status`, `down` and chaos find things again.
 */
export function deriveTopology(spec: TopologySpec): Topology {
  const components: Component[] = [];
  const add = (c: Omit<Component, 'host' | 'port' | 'ports'>, named: readonly string[] = []): Component => {
    const first = spec.portBase + COMPONENT_PORTS_FROM + (components.length - 1) * PORTS_PER_COMPONENT;
    const ports = Object.fromEntries(named.map((name, i) => [name, first + 1 + i]));
    const host = c.kind === 'postgres' ? POSTGRES_NODE_HOST : HOST;
    const component: Component = { ...c, host, port: first, ports };
    components.push(component);
    return component;
  };

  const dataCenters: DataCenter[] = spec.dataCenters.map(({ id, region }) => ({ id, region }));
  const monitorDc = spec.monitor?.dc ?? spec.dataCenters[0]!.id;
  const hasGeoFront = spec.geoFront ?? spec.dataCenters.length > 1;

  // The fault proxy's API sits at the base port itself; every link is one of its proxies.
  components.push({ id: 'faultproxy', kind: 'fault-proxy', dc: null, host: HOST, port: spec.portBase + fixedPortOffsets.faultProxyApi, ports: {} });
  const monitor = add({ id: 'monitor', kind: 'postgres-monitor', dc: monitorDc });
  const shards: Shard[] = spec.shards.map((shardSpec, s) => {
    const nodeDcs = [shardSpec.primary, ...shardSpec.replicas];
    const nodes = nodeDcs.map((dc, n) =>
      add({ id: `shard${s}-${n + 1}`, kind: 'postgres', dc, shard: s, initialRole: n === 0 ? 'primary' : 'secondary' }),
    );
    return { id: s, formation: `shard${s}`, nodes: nodes.map((n) => n.id) };
  });

  for (const dc of spec.dataCenters) {
    add({ id: `${dc.id}.redis`, kind: 'redis', dc: dc.id });
    add({ id: `${dc.id}.nats`, kind: 'nats', dc: dc.id }, ['cluster', 'monitoring']);
    for (let i = 1; i <= dc.gateways; i++) add({ id: `${dc.id}.gateway-${i}`, kind: 'gateway', dc: dc.id, instance: i });
    for (const kind of ['user', 'media', 'worker'] as const)
      for (let i = 1; i <= dc[kind]; i++) add({ id: `${dc.id}.${kind}-${i}`, kind, dc: dc.id, instance: i });
    add({ id: `${dc.id}.lb`, kind: 'load-balancer', dc: dc.id }, ['stats']);
    add({ id: `${dc.id}.edge`, kind: 'cdn-edge', dc: dc.id });
  }
  if (hasGeoFront) add({ id: 'geo', kind: 'geo-front', dc: null }, ['stats']);
  const componentPortsEnd = COMPONENT_PORTS_FROM + (components.length - 1) * PORTS_PER_COMPONENT;
  // Lab-wide observability at fixed ports, so their URLs are the same whatever the topology's size.
  for (const kind of ['prometheus', 'dashboard'] as const)
    components.push({ id: kind, kind, dc: null, host: HOST, port: spec.portBase + fixedPortOffsets[kind], ports: {} });

  const byId = new Map(components.map((c) => [c.id, c]));
  const links: Link[] = [];
  let nextLinkPort = spec.portBase + LINK_PORTS_FROM;
  const link = (from: string, fromDc: string | null, to: Component, kind: LinkKind, upstreamPortName?: string): void => {
    const upstreamPort = upstreamPortName ? to.ports[upstreamPortName]! : to.port;
    // A node's peer ingress sits at the node's own port number (see POSTGRES_NODE_HOST).
    const listenPort = kind === 'sql-peer' ? to.port : nextLinkPort++;
    links.push({
      name: `${from}->${to.id}`,
      from,
      to: to.id,
      fromDc,
      toDc: to.dc,
      kind,
      listen: { host: HOST, port: listenPort },
      upstream: { host: to.host, port: upstreamPort },
    });
  };

  // Postgres peers (the monitor's health checks and replication) reach a node at the one address it
  // registers with the monitor, so each node has one ingress link from its shard's peers.
  for (const shard of shards) {
    for (const nodeId of shard.nodes) {
      const node = byId.get(nodeId)!;
      const peerDcs = shard.nodes.filter((id) => id !== nodeId).map((id) => byId.get(id)!.dc);
      const remotePeerDc = peerDcs.find((dc) => dc !== node.dc) ?? node.dc;
      link(`${shard.formation}.peers`, remotePeerDc, node, 'sql-peer');
      link(node.id, node.dc, monitor, 'failover-control');
    }
  }

  for (const c of components) {
    if (c.kind === 'gateway' || c.kind === 'user' || c.kind === 'media' || c.kind === 'worker') {
      if (needsPostgres.includes(c.kind)) {
        for (const shard of shards) for (const nodeId of shard.nodes) link(c.id, c.dc, byId.get(nodeId)!, 'sql');
        link(c.id, c.dc, monitor, 'sql');
      }
      if (needsRedis.includes(c.kind)) link(c.id, c.dc, byId.get(`${c.dc}.redis`)!, 'redis');
      link(c.id, c.dc, byId.get(`${c.dc}.nats`)!, 'nats-client');
    }
  }

  for (const dc of spec.dataCenters) {
    const lb = byId.get(`${dc.id}.lb`)!;
    for (const gw of components.filter((c) => c.kind === 'gateway' && c.dc === dc.id)) link(lb.id, dc.id, gw, 'http');
    link(`${dc.id}.edge`, dc.id, lb, 'http');
    for (const other of spec.dataCenters)
      if (other.id !== dc.id) link(`${dc.id}.nats`, dc.id, byId.get(`${other.id}.nats`)!, 'nats-route', 'cluster');
  }
  if (hasGeoFront) {
    for (const dc of spec.dataCenters) {
      link('geo', null, byId.get(`${dc.id}.lb`)!, 'http');
      link('geo', null, byId.get(`${dc.id}.edge`)!, 'http');
    }
  }

  if (nextLinkPort - spec.portBase > PORT_RANGE_SIZE || componentPortsEnd > LINK_PORTS_FROM) {
    throw new RangeError(`topology "${spec.name}" is too large for the lab's port range of ${PORT_RANGE_SIZE} ports`);
  }

  return {
    name: spec.name,
    description: spec.description,
    portBase: spec.portBase,
    dataCenters,
    shards,
    components,
    links,
    entrypoint: hasGeoFront ? 'geo' : `${spec.dataCenters[0]!.id}.lb`,
    cdn: spec.cdn,
    slo: spec.slo,
  };
}
