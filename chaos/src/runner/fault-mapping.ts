import type { Topology } from '#libs/topology';
import type { ExperimentFault } from '../experiments/index.js';
import { asyncReplicationFault } from '../faults/async-replication.js';
import type { FaultSpec } from '../faults/fault-spec.js';
import { partitionLinks, resolveLinks } from '../faults/link-selector.js';
import { ExperimentCannotRunError } from './run.errors.js';
import { describeTarget, shardOfComponent } from './component-target.js';

/** An experiment's fault as the fault service takes it, with what the report and the checkers need. */
export interface MappedFault {
  readonly spec: FaultSpec;
  readonly label: string;
  /** What the experiment named, as typed (`primaryOf 0 (shard0-1)`, `between dc-a dc-b`). */
  readonly target: string;
  /** The shards it touches; undefined: the whole system (every operation counts for recovery). */
  readonly shards?: readonly number[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The shards a set of links touches when every one of them leads to or from a Postgres node (or a shard's peer
 * group); any other link (an app, NATS, a load balancer) makes it a fault of the whole system.
 */
function shardsOfLinks(topology: Topology, links: readonly string[]): number[] | undefined {
  const shards = new Set<number>();
  for (const name of links) {
    const link = topology.links.find((l) => l.name === name);
    if (!link) return undefined;
    const peers = /^shard(\d+)\.peers$/.exec(link.from)?.[1];
    const shard = peers !== undefined ? Number(peers) : (shardOfComponent(topology, link.to) ?? shardOfComponent(topology, link.from));
    if (shard === undefined) return undefined;
    shards.add(shard);
  }
  return shards.size === 0 ? undefined : [...shards].sort((a, b) => a - b);
}

/**
 * Maps an experiment fault to a FaultSpec. Link selectors are resolved to link names now (the ledger stores
 * names, so whoever heals it later needs no topology); a component target must be resolved by the caller
 * (`component`: the id it names at this moment). `partition` is a blackhole (timeout toxics) on every link
 * crossing the two DCs, as `faultline fault partition` does: connections hang, as in a real partition.
 */
export function mapFault(fault: ExperimentFault, topology: Topology, component?: string): MappedFault {
  const linksOf = (selector: Parameters<typeof resolveLinks>[1]) => resolveLinks(topology, selector, JSON.stringify(selector)).map((l) => l.name);
  const selectorText = (selector: object) => Object.entries(selector).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(':') : String(v)}`).join(',');
  const withShards = (links: readonly string[]) => {
    const shards = shardsOfLinks(topology, links);
    return shards ? { shards } : {};
  };
  switch (fault.type) {
    case 'latency': {
      const links = linksOf(fault.links);
      return { spec: { kind: 'latency', links, ms: fault.ms, jitterMs: fault.jitter }, label: `latency ${fault.ms}±${fault.jitter} ms on ${plural(links.length, 'link')}`, target: selectorText(fault.links), ...withShards(links) };
    }
    case 'bandwidth': {
      const links = linksOf(fault.links);
      // Links are rated in kilobits per second; the toxic takes kilobytes.
      const rateKBps = Math.max(1, Math.floor(fault.kbps / 8));
      return { spec: { kind: 'bandwidth', links, rateKBps }, label: `bandwidth ${fault.kbps} kbps on ${plural(links.length, 'link')}`, target: selectorText(fault.links), ...withShards(links) };
    }
    case 'timeout':
    case 'reset':
    case 'link-down': {
      const links = linksOf(fault.links);
      const what = fault.type === 'timeout' ? 'blackhole' : fault.type === 'reset' ? 'connection reset' : 'link down';
      return { spec: { kind: fault.type, links }, label: `${what} on ${plural(links.length, 'link')}`, target: selectorText(fault.links), ...withShards(links) };
    }
    case 'slicer': {
      const links = linksOf(fault.links);
      return {
        spec: { kind: 'slicer', links, averageSize: fault.averageSize, sizeVariation: fault.sizeVariation, delayUs: fault.delayUs },
        label: `slicer ${fault.averageSize}±${fault.sizeVariation} bytes on ${plural(links.length, 'link')}`,
        target: selectorText(fault.links),
        ...withShards(links),
      };
    }
    case 'partition': {
      const [a, b] = fault.between;
      const links = partitionLinks(topology, a, b, fault.oneWay).map((l) => l.name);
      const arrow = fault.oneWay ? '→' : '↔';
      return { spec: { kind: 'timeout', links }, label: `partition ${a} ${arrow} ${b} (${plural(links.length, 'link')} blackholed)`, target: `${a} ${arrow} ${b}` };
    }
    case 'kill':
    case 'pause':
    case 'restart': {
      const named = describeTarget(fault.component);
      if (component === undefined) throw new ExperimentCannotRunError(`cannot ${fault.type} ${named}: no component holds that role now`);
      const shard = shardOfComponent(topology, component);
      return {
        spec: { kind: fault.type, component },
        label: `${fault.type} ${component}`,
        target: named === component ? component : `${named} (${component})`,
        ...(shard !== undefined && { shards: [shard] }),
      };
    }
    case 'async-replication': {
      const { spec, label, target } = asyncReplicationFault(topology, fault.shard);
      return { spec, label, target, shards: [spec.shard] };
    }
  }
}
