import { describe, expect, it } from '@jest/globals';
import { partitionLinks } from '#chaos';
import { topologyOf } from './testing/lab.fixtures.js';
import { layoutTopology, NODE_HEIGHT, NODE_WIDTH, type ComponentState } from './topology-map.js';

const up: ComponentState = { running: true, healthy: true, role: null, detail: null };

describe('the topology map layout', () => {
  const topology = topologyOf('full');
  const everyoneUp = new Map(topology.components.map((c) => [c.id, up]));

  it('draws every component once, inside its data center’s box; lab-wide ones above the boxes', () => {
    const map = layoutTopology({ topology, components: everyoneUp, faultedLinks: new Map() });
    expect(map.nodes.map((n) => n.id).sort()).toEqual(topology.components.map((c) => c.id).sort());
    expect(map.dataCenters.map((dc) => dc.id)).toEqual(['dc-a', 'dc-b']);
    for (const node of map.nodes) {
      const box = map.dataCenters.find((dc) => dc.id === node.dc);
      if (!box) {
        expect(node.y + NODE_HEIGHT).toBeLessThan(Math.min(...map.dataCenters.map((dc) => dc.y)));
        continue;
      }
      expect(node.x).toBeGreaterThanOrEqual(box.x);
      expect(node.x + NODE_WIDTH).toBeLessThanOrEqual(box.x + box.width);
      expect(node.y).toBeGreaterThanOrEqual(box.y);
      expect(node.y + NODE_HEIGHT).toBeLessThanOrEqual(box.y + box.height);
      expect(node.x + NODE_WIDTH).toBeLessThanOrEqual(map.width);
      expect(node.y + NODE_HEIGHT).toBeLessThanOrEqual(map.height);
    }
    // No two nodes overlap.
    for (const a of map.nodes) for (const b of map.nodes) if (a !== b) expect(Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT).toBe(true);
  });

  it('one edge per linked pair, carrying every link between them; a shard’s peer group stands for its other nodes', () => {
    const map = layoutTopology({ topology, components: everyoneUp, faultedLinks: new Map() });
    const linked = map.edges.flatMap((e) => e.links);
    expect(new Set(linked)).toEqual(new Set(topology.links.map((l) => l.name)));
    const peer = map.edges.find((e) => e.links.includes('shard0.peers->shard0-1'))!;
    expect([peer.a, peer.b].sort()).toEqual(['shard0-1', 'shard0-2']);
    expect(peer.crossDc).toBe(true);
    expect(new Set(map.edges.map((e) => e.id)).size).toBe(map.edges.length);
    expect(map.edges.every((e) => !e.faulted)).toBe(true);
  });

  it('a partition’s links turn their edges faulted, with the fault id; edges inside a DC stay clear', () => {
    const cut = partitionLinks(topology, 'dc-a', 'dc-b', false).map((l) => l.name);
    const map = layoutTopology({ topology, components: everyoneUp, faultedLinks: new Map(cut.map((name) => [name, ['f1']])) });
    const faulted = map.edges.filter((e) => e.faulted);
    expect(faulted.length).toBeGreaterThan(0);
    expect(faulted.every((e) => e.crossDc && e.faults.includes('f1'))).toBe(true);
    expect(new Set(faulted.flatMap((e) => e.links.filter((l) => cut.includes(l))))).toEqual(new Set(cut));
    expect(map.edges.filter((e) => !e.crossDc).every((e) => !e.faulted)).toBe(true);
  });

  it('health from the status (down, unknown when missing) and Postgres roles as labels', () => {
    const components = new Map(everyoneUp);
    components.set('shard0-1', { running: false, healthy: false, role: null, detail: 'not running' });
    components.set('shard0-2', { ...up, role: 'primary' });
    components.delete('dc-b.redis');
    const map = layoutTopology({ topology, components, faultedLinks: new Map() });
    const node = (id: string) => map.nodes.find((n) => n.id === id)!;
    expect(node('shard0-1').health).toBe('down');
    expect(node('shard0-2')).toMatchObject({ health: 'up', role: 'primary' });
    expect(node('dc-b.redis').health).toBe('unknown');
  });
});
