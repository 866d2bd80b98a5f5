import type { ComponentKind, Link, LinkKind, Topology } from './topology.model.js';

/**
 * Picks links for a fault. Every given criterion must hold. A component matches by id, by DC or by
 * kind, so `{ from: 'dc-a', to: 'postgres' }` means "every link from dc-a to any Postgres node".
 */
export interface LinkSelector {
  readonly name?: string;
  readonly from?: string;
  readonly to?: string;
  readonly kind?: LinkKind;
  /** Every link that crosses between the two DCs — in both directions unless `oneWay`. */
  readonly between?: readonly [string, string];
  /** With `between`: only links whose traffic starts in the first DC and goes to the second. */
  readonly oneWay?: boolean;
}

export function selectLinks(topology: Topology, selector: LinkSelector): Link[] {
  const components = new Map(topology.components.map((c) => [c.id, c]));
  const endMatches = (endId: string, endDc: string | null, wanted: string): boolean => {
    if (endId === wanted || endDc === wanted) return true;
    const component = components.get(endId);
    return component !== undefined && component.kind === (wanted as ComponentKind);
  };
  return topology.links.filter((link) => {
    if (selector.name !== undefined && link.name !== selector.name) return false;
    if (selector.kind !== undefined && link.kind !== selector.kind) return false;
    if (selector.from !== undefined && !endMatches(link.from, link.fromDc, selector.from)) return false;
    if (selector.to !== undefined && !endMatches(link.to, link.toDc, selector.to)) return false;
    if (selector.between) {
      const [a, b] = selector.between;
      const forward = link.fromDc === a && link.toDc === b;
      const backward = link.fromDc === b && link.toDc === a;
      if (!(forward || (!selector.oneWay && backward))) return false;
    }
    return true;
  });
}
