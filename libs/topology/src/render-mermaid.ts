import type { Component, Topology } from './topology.model.js';

const nodeId = (id: string) => id.replace(/[^a-zA-Z0-9]/g, '_');
const label = (c: Component) => {
  const extra = c.kind === 'postgres' ? ` (${c.initialRole})` : '';
  return `${nodeId(c.id)}["${c.id}${extra}<br/><small>${c.kind}</small>"]`;
};

/**
 * The architecture picture, drawn from the topology itself (never by hand): one subgraph per DC, lab-wide
 * parts outside. App→store links are folded into one edge per (app kind, store) to keep it readable.
 */
export function renderMermaid(topology: Topology): string {
  const out: string[] = ['flowchart LR', '  client(["clients"])'];
  const global = topology.components.filter((c) => c.dc === null && c.kind !== 'fault-proxy');
  for (const c of global) out.push(`  ${label(c)}`);
  for (const dc of topology.dataCenters) {
    out.push(`  subgraph ${nodeId(dc.id)}["${dc.id} (region ${dc.region})"]`);
    for (const c of topology.components.filter((x) => x.dc === dc.id)) out.push(`    ${label(c)}`);
    out.push('  end');
  }
  out.push(`  client --> ${nodeId(topology.entrypoint)}`);
  const seen = new Set<string>();
  for (const link of topology.links) {
    const from = link.kind === 'sql-peer' ? null : link.from;
    if (!from) continue;
    const edge = `  ${nodeId(from)} -->|${link.kind}| ${nodeId(link.to)}`;
    if (!seen.has(edge)) {
      seen.add(edge);
      out.push(edge);
    }
  }
  for (const shard of topology.shards) {
    const [primary, ...replicas] = shard.nodes;
    for (const replica of replicas) out.push(`  ${nodeId(replica)} -.->|replication| ${nodeId(primary!)}`);
  }
  // Observability, not links: Prometheus scrapes every DC and the lab-wide parts; the dashboard reads it.
  const prometheus = topology.components.find((c) => c.kind === 'prometheus');
  if (prometheus) {
    const scraped = [...topology.dataCenters.map((dc) => dc.id), ...global.filter((c) => c.kind === 'geo-front').map((c) => c.id)];
    for (const id of scraped) out.push(`  ${nodeId(prometheus.id)} -.->|scrapes| ${nodeId(id)}`);
    for (const dashboard of topology.components.filter((c) => c.kind === 'dashboard')) out.push(`  ${nodeId(dashboard.id)} -.->|queries| ${nodeId(prometheus.id)}`);
  }
  return out.join('\n') + '\n';
}
