import { fill, s, showUnavailable } from './dom.js';

const center = (node) => ({ x: node.x + node.width / 2, y: node.y + node.height / 2 });

/**
 * The topology as SVG, from the layout the server computed: data centers as boxes, components as boxes
 * coloured by health (Postgres nodes labelled with their role), and a line per pair of linked components,
 * red while a fault is on one of its links.
 */
export function renderMap(part, root) {
  showUnavailable(root.querySelector('#map-unavailable'), part.unavailable);
  const container = root.querySelector('#map');
  const map = part.value;
  if (!map) {
    fill(container);
    return;
  }
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const svg = s('svg', { viewBox: `0 0 ${map.width} ${map.height}`, width: map.width, height: map.height, role: 'img', 'aria-label': 'lab topology' });

  for (const dc of map.dataCenters) {
    svg.append(
      s('g', { class: 'dc', dataset: { dc: dc.id } },
        s('rect', { x: dc.x, y: dc.y, width: dc.width, height: dc.height, rx: 8 }),
        s('text', { x: dc.x + 10, y: dc.y + 18, class: 'dc-label' }, `${dc.id} · ${dc.region}`)),
    );
  }
  const edges = s('g', { class: 'edges' });
  // Faulted edges last, so they are drawn over the others.
  for (const edge of [...map.edges].sort((a, b) => Number(a.faulted) - Number(b.faulted))) {
    const a = byId.get(edge.a);
    const b = byId.get(edge.b);
    if (!a || !b) continue;
    const p = center(a);
    const q = center(b);
    edges.append(
      s('line', {
        x1: p.x, y1: p.y, x2: q.x, y2: q.y,
        class: `edge${edge.faulted ? ' faulted' : ''}${edge.crossDc ? ' cross-dc' : ''}`,
        dataset: { edge: edge.id, links: edge.links.join(' '), faulted: edge.faulted, faults: edge.faults.join(' ') },
      },
      s('title', {}, `${edge.a} ↔ ${edge.b}: ${edge.links.join(', ')}${edge.faulted ? ` — FAULTED${edge.faults.length ? ` (${edge.faults.join(', ')})` : ''}` : ''}`)),
    );
  }
  svg.append(edges);
  for (const node of map.nodes) {
    const title = `${node.id} (${node.kind}): ${node.health}${node.role ? `, ${node.role}` : ''}${node.detail ? ` — ${node.detail}` : ''}`;
    svg.append(
      s('g', { class: `node health-${node.health} kind-${node.kind.replace(/[^a-z-]/g, '')}`, dataset: { component: node.id, health: node.health, role: node.role ?? '' } },
        s('title', {}, title),
        s('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 5 }),
        s('text', { x: node.x + node.width / 2, y: node.y + (node.role ? 14 : 21), class: 'node-label' }, node.id),
        node.role ? s('text', { x: node.x + node.width / 2, y: node.y + 27, class: `node-role role-${node.role.replace(/[^a-z_-]/g, '')}` }, node.role) : null),
    );
  }
  fill(container, svg);
}
