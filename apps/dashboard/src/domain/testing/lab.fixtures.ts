import type { FaultRecord } from '#chaos';
import type { ComponentStatus, LabState, LabStatus, LinkStatus } from '#libs/lab';
import { resolveTopology, type Topology } from '#libs/topology';

/** Test data for the dashboard's pure parts: a real built-in topology and a lab status as `labStatus` returns it. */
export const topologyOf = (profile: 'minimal' | 'full'): Topology => resolveTopology({ profile, portBase: 19000 });

export function labStateOf(topology: Topology): LabState {
  return { version: 1, topology, faultProxyUrl: 'http://127.0.0.1:19000', createdAt: '2026-11-27T08:00:00.000Z', processes: {} };
}

export function labStatusOf(
  topology: Topology,
  options: { down?: readonly string[]; roles?: Readonly<Record<string, string>>; faultedLinks?: readonly string[]; running?: boolean } = {},
): LabStatus {
  const running = options.running ?? true;
  const components = topology.components.map((c): ComponentStatus => {
    const up = running && !options.down?.includes(c.id);
    return {
      id: c.id,
      kind: c.kind,
      dc: c.dc,
      role: options.roles?.[c.id] ?? null,
      pid: up ? 1000 : null,
      address: `${c.host}:${c.port}`,
      url: null,
      running: up,
      healthy: up,
      detail: up ? null : 'not running',
      uptimeSeconds: up ? 10 : null,
      logFile: `/tmp/${c.id}.log`,
    };
  });
  const links = topology.links.map(
    (l): LinkStatus => ({
      name: l.name,
      kind: l.kind,
      from: l.from,
      to: l.to,
      fromDc: l.fromDc,
      toDc: l.toDc,
      listen: `${l.listen.host}:${l.listen.port}`,
      upstream: `${l.upstream.host}:${l.upstream.port}`,
      enabled: running ? true : null,
      toxics: [],
      faulted: options.faultedLinks?.includes(l.name) ?? false,
    }),
  );
  return { running, topology: topology.name, stateDir: '/tmp/lab', entrypoint: 'http://127.0.0.1:19050', faultProxy: 'http://127.0.0.1:19000', healthy: running, components, links };
}

export function faultRecord(id: string, links: readonly string[], appliedAt: string, extra: Partial<FaultRecord> = {}): FaultRecord {
  return { id, spec: { kind: 'timeout', links }, label: `blackhole on ${links.length} links`, target: 'dc-a ↔ dc-b', createdAt: appliedAt, appliedAt, ...extra };
}
