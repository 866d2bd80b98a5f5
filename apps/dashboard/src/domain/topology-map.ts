import type { Topology } from '#libs/topology';
import type { Health, MapDataCenter, MapEdge, MapNode, TopologyMap } from './snapshot.model.js';

/** A component's state as the lab's status reports it. */
export interface ComponentState {
  readonly running: boolean;
  readonly healthy: boolean;
  readonly role: string | null;
  readonly detail: string | null;
}

export interface MapInput {
  readonly topology: Topology;
  /** By component id; a component missing here is drawn as `unknown` (its status could not be read). */
  readonly components: ReadonlyMap<string, ComponentState>;
  /** Link names that are faulted now, with the ids of the faults on them (an empty list: faulted, source unknown). */
  readonly faultedLinks: ReadonlyMap<string, readonly string[]>;
}

export const NODE_WIDTH = 132;
export const NODE_HEIGHT = 34;
const GAP = 14;
const PAD = 16;
const DC_TITLE = 26;
const DC_GAP = 40;

/** Rows inside a data center, top (where requests arrive) to bottom (where data lives). */
const TIERS: readonly (readonly string[])[] = [
  ['load-balancer', 'cdn-edge'],
  ['gateway'],
  ['user', 'media', 'worker'],
  ['redis', 'nats'],
  ['postgres-monitor', 'postgres'],
];
const tierOf = (kind: string): number => {
  const index = TIERS.findIndex((kinds) => kinds.includes(kind));
  return index === -1 ? TIERS.length : index;
};

const healthOf = (state: ComponentState | undefined): Health => (state === undefined ? 'unknown' : state.running && state.healthy ? 'up' : 'down');

/**
 * Lays the topology out for an SVG: lab-wide components in a row on top, each data center a box below
 * with its components in rows by tier, and one edge per pair of components that any link joins (a
 * shard's peer group stands for the shard's other nodes). Pure: the page only draws what this returns.
 */
export function layoutTopology(input: MapInput): TopologyMap {
  const { topology } = input;
  const nodes: MapNode[] = [];
  const place = (id: string, kind: string, dc: string | null, x: number, y: number): void => {
    const state = input.components.get(id);
    nodes.push({ id, kind, dc, x, y, width: NODE_WIDTH, height: NODE_HEIGHT, health: healthOf(state), role: state?.role ?? null, detail: state?.detail ?? null });
  };

  const labWide = topology.components.filter((c) => c.dc === null || !topology.dataCenters.some((dc) => dc.id === c.dc));
  labWide.forEach((c, i) => place(c.id, c.kind, null, PAD + i * (NODE_WIDTH + GAP), PAD));
  const top = labWide.length > 0 ? PAD + NODE_HEIGHT + DC_GAP : PAD;

  const dataCenters: MapDataCenter[] = [];
  let x = PAD;
  let height = top;
  for (const dc of topology.dataCenters) {
    const rows: { id: string; kind: string }[][] = [];
    for (const c of topology.components.filter((component) => component.dc === dc.id)) {
      const tier = tierOf(c.kind);
      (rows[tier] ??= []).push(c);
    }
    const filled = rows.filter((row) => row !== undefined && row.length > 0);
    const columns = Math.max(1, ...filled.map((row) => row.length));
    const width = PAD * 2 + columns * NODE_WIDTH + (columns - 1) * GAP;
    filled.forEach((row, r) => {
      const rowWidth = row.length * NODE_WIDTH + (row.length - 1) * GAP;
      const start = x + (width - rowWidth) / 2;
      row.forEach((c, i) => place(c.id, c.kind, dc.id, start + i * (NODE_WIDTH + GAP), top + DC_TITLE + r * (NODE_HEIGHT + GAP * 2)));
    });
    const dcHeight = DC_TITLE + filled.length * (NODE_HEIGHT + GAP * 2) + PAD;
    dataCenters.push({ id: dc.id, region: dc.region, x, y: top, width, height: dcHeight });
    height = Math.max(height, top + dcHeight);
    x += width + DC_GAP;
  }

  const width = Math.max(x - DC_GAP + PAD, PAD * 2 + labWide.length * (NODE_WIDTH + GAP));
  return { width, height: height + PAD, dataCenters, nodes, edges: edgesOf(input, new Set(nodes.map((n) => n.id))) };
}

function edgesOf(input: MapInput, known: ReadonlySet<string>): MapEdge[] {
  const { topology } = input;
  const peersOf = new Map(topology.shards.map((shard) => [`${shard.formation}.peers`, shard.nodes]));
  const edges = new Map<string, { a: string; b: string; links: string[]; kinds: Set<string>; faults: Set<string>; faulted: boolean }>();
  for (const link of topology.links) {
    const sources = peersOf.has(link.from) ? peersOf.get(link.from)!.filter((node) => node !== link.to) : [link.from];
    for (const from of sources) {
      if (!known.has(from) || !known.has(link.to) || from === link.to) continue;
      const [a, b] = from < link.to ? [from, link.to] : [link.to, from];
      const key = `${a}|${b}`;
      const edge = edges.get(key) ?? { a, b, links: [], kinds: new Set<string>(), faults: new Set<string>(), faulted: false };
      edge.links.push(link.name);
      edge.kinds.add(link.kind);
      const faults = input.faultedLinks.get(link.name);
      if (faults) {
        edge.faulted = true;
        for (const id of faults) edge.faults.add(id);
      }
      edges.set(key, edge);
    }
  }
  const dcOf = new Map(topology.components.map((c) => [c.id, c.dc]));
  return [...edges.entries()].map(([id, e]) => ({
    id,
    a: e.a,
    b: e.b,
    links: e.links,
    kinds: [...e.kinds].sort(),
    crossDc: dcOf.get(e.a) !== dcOf.get(e.b),
    faulted: e.faulted,
    faults: [...e.faults].sort(),
  }));
}
