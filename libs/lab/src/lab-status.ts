import toxiproxyClient from 'toxiproxy-node-client';
import type { ComponentKind, LinkKind } from '#libs/topology';
import { runnerFor } from './components/component-registry.js';
import type { ComponentHealth } from './components/component-runner.js';
import { usesExternalFaultProxy } from './components/fault-proxy/fault-proxy.component.js';
import { entrypointUrlOf, labContextFor } from './lab-up.js';
import type { LabPaths } from './lab-paths.js';
import { readLabState } from './lab-state.js';
import { isAlive, uptimeSeconds } from './process/process-identity.js';

const { Toxiproxy } = toxiproxyClient;

/** `faultline status --json`: an interface other tools parse. Extend it; never rename a field. */
export interface ComponentStatus {
  readonly id: string;
  readonly kind: ComponentKind;
  readonly dc: string | null;
  /** Postgres nodes: as the failover monitor reports it now; null otherwise. */
  readonly role: string | null;
  readonly pid: number | null;
  readonly address: string;
  /** For components that speak HTTP. */
  readonly url: string | null;
  readonly running: boolean;
  readonly healthy: boolean;
  readonly detail: string | null;
  readonly uptimeSeconds: number | null;
  readonly logFile: string;
}

export interface LinkStatus {
  readonly name: string;
  readonly kind: LinkKind;
  readonly from: string;
  readonly to: string;
  readonly fromDc: string | null;
  readonly toDc: string | null;
  readonly listen: string;
  readonly upstream: string;
  /** null when the fault proxy could not be asked. */
  readonly enabled: boolean | null;
  readonly toxics: readonly { name: string; type: string; stream: string; toxicity: number; attributes: Record<string, unknown> }[];
  /** A fault is active: the link is disabled or has toxics. */
  readonly faulted: boolean;
}

export interface LabStatus {
  readonly running: boolean;
  readonly topology: string | null;
  readonly stateDir: string;
  readonly entrypoint: string | null;
  readonly faultProxy: string | null;
  readonly healthy: boolean;
  readonly components: readonly ComponentStatus[];
  readonly links: readonly LinkStatus[];
}

const httpKinds: readonly ComponentKind[] = ['gateway', 'user', 'media', 'worker', 'load-balancer', 'geo-front', 'cdn-edge', 'fault-proxy', 'prometheus', 'dashboard'];

export interface LabStatusOptions {
  readonly paths: LabPaths;
  readonly faultlineBin: string;
  /**
   * Check a component that looked unhealthy once more before saying so (default true). Fifty checks at once on a
   * busy 2-core machine can time out although nothing is wrong; a component that fails twice is unhealthy. The
   * dashboard, which asks every second anyway, turns this off.
   */
  readonly recheckUnhealthy?: boolean;
}

export async function labStatus(options: LabStatusOptions): Promise<LabStatus> {
  const { paths } = options;
  const state = readLabState(paths);
  if (!state) {
    return { running: false, topology: null, stateDir: paths.root, entrypoint: null, faultProxy: null, healthy: false, components: [], links: [] };
  }
  const { topology } = state;
  const ctx = labContextFor(topology, paths, options.faultlineBin);
  const external = usesExternalFaultProxy();

  const check = (c: (typeof topology.components)[number]): Promise<ComponentHealth> =>
    runnerFor(c.kind).check(c, ctx).catch((e: Error): ComponentHealth => ({ healthy: false, detail: e.message }));
  const components = await Promise.all(
    topology.components.map(async (c): Promise<ComponentStatus> => {
      const recorded = state.processes[c.id];
      const running = external && c.kind === 'fault-proxy' ? true : recorded !== undefined && isAlive(recorded);
      let health = running ? await check(c) : undefined;
      if (health && !health.healthy && (options.recheckUnhealthy ?? true)) health = await check(c);
      return {
        id: c.id,
        kind: c.kind,
        dc: c.dc,
        role: health?.role ?? null,
        pid: running && recorded ? recorded.pid : null,
        address: `${c.host}:${c.port}`,
        url: httpKinds.includes(c.kind) ? `http://${c.host}:${c.port}` : null,
        running,
        healthy: health?.healthy ?? false,
        detail: health ? (health.detail ?? null) : recorded ? 'not running' : 'never started',
        uptimeSeconds: running && recorded ? (uptimeSeconds(recorded) ?? null) : null,
        logFile: paths.logFile(c.id),
      };
    }),
  );

  let proxies: Record<string, { enabled: boolean; toxics: LinkStatus['toxics'] }> | undefined;
  try {
    // The client's Proxy objects drop the toxics, so read the raw answer through the client's own transport.
    const toxiproxy = new Toxiproxy(state.faultProxyUrl);
    proxies = (await toxiproxy.getApi().get<typeof proxies>(`${state.faultProxyUrl}/proxies`)).data;
  } catch {
    proxies = undefined;
  }

  const links = topology.links.map((l): LinkStatus => {
    const proxy = proxies?.[l.name];
    return {
      name: l.name,
      kind: l.kind,
      from: l.from,
      to: l.to,
      fromDc: l.fromDc,
      toDc: l.toDc,
      listen: `${l.listen.host}:${l.listen.port}`,
      upstream: `${l.upstream.host}:${l.upstream.port}`,
      enabled: proxy ? proxy.enabled : null,
      toxics: proxy?.toxics ?? [],
      faulted: proxy ? !proxy.enabled || proxy.toxics.length > 0 : false,
    };
  });

  const running = components.some((c) => c.running);
  return {
    running,
    topology: topology.name,
    stateDir: paths.root,
    entrypoint: entrypointUrlOf(topology),
    faultProxy: state.faultProxyUrl,
    healthy: running && components.every((c) => c.healthy),
    components,
    links,
  };
}
