import type { Topology } from '#libs/topology';
import type { LinkFaultSpec } from './fault-spec.js';
import { parseLinkSelector, partitionLinks, resolveLinks } from './link-selector.js';

/** A fault as asked for (by `faultline fault` or the dashboard's workshop controls): what to apply and how to name it in the ledger. */
export interface FaultRequest {
  readonly spec: LinkFaultSpec;
  readonly label: string;
  readonly target: string;
}

/** `latency 200±50 ms on 14 links (between=dc-a:dc-b)`: what a fault does, on how many links, as the user selected them. */
export const linkFaultLabel = (what: string, links: readonly string[], selector: string): string =>
  `${what} on ${links.length} link${links.length === 1 ? '' : 's'} (${selector})`;

/** Added latency on the links a selector picks (FaultTargetError when it picks none). */
export function latencyFault(topology: Topology, selector: string, ms: number, jitterMs: number): FaultRequest {
  const links = resolveLinks(topology, parseLinkSelector(selector, topology), selector).map((link) => link.name);
  return { spec: { kind: 'latency', links, ms, jitterMs }, label: linkFaultLabel(`latency ${ms}±${jitterMs} ms`, links, selector), target: selector };
}

/** Every link crossing between two data centers blackholed (one direction with `oneWay`): connections hang, as in a real partition. */
export function partitionFault(topology: Topology, a: string, b: string, oneWay: boolean): FaultRequest {
  const links = partitionLinks(topology, a, b, oneWay).map((link) => link.name);
  const arrow = oneWay ? '→' : '↔';
  return { spec: { kind: 'timeout', links }, label: `partition ${a} ${arrow} ${b} (${links.length} links blackholed)`, target: `${a} ${arrow} ${b}` };
}
