import { describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { partitionLinks } from '../faults/link-selector.js';
import { describeTarget, resolveComponentTarget } from './component-target.js';
import { mapFault } from './fault-mapping.js';

const full = loadProfile('full');

describe('mapFault', () => {
  it('kills the component a role resolves to now, and marks its shard as affected', () => {
    const mapped = mapFault({ type: 'kill', component: { primaryOf: 0 } }, full, 'shard0-2');
    expect(mapped).toEqual({ spec: { kind: 'kill', component: 'shard0-2' }, label: 'kill shard0-2', target: 'primaryOf 0 (shard0-2)', shards: [0] });
    expect(mapFault({ type: 'pause', component: 'dc-a.redis' }, full, 'dc-a.redis')).toMatchObject({ spec: { kind: 'pause', component: 'dc-a.redis' }, target: 'dc-a.redis' });
    expect(mapFault({ type: 'pause', component: 'dc-a.redis' }, full, 'dc-a.redis').shards).toBeUndefined();
  });

  it('refuses a role no node holds, with the reason', () => {
    expect(() => mapFault({ type: 'kill', component: { primaryOf: 1 } }, full, undefined)).toThrow(expect.objectContaining({ code: 'EXPERIMENT_CANNOT_RUN', message: expect.stringContaining('primaryOf 1') }));
  });

  it('makes a partition a blackhole on every crossing link (the whole system is affected)', () => {
    const mapped = mapFault({ type: 'partition', between: ['dc-a', 'dc-b'], oneWay: false }, full);
    expect(mapped.spec).toEqual({ kind: 'timeout', links: partitionLinks(full, 'dc-a', 'dc-b', false).map((l) => l.name) });
    expect(mapped.shards).toBeUndefined();
    expect(mapped.label).toMatch(/^partition dc-a ↔ dc-b \(\d+ links blackholed\)$/);
  });

  it('maps link faults field by field; links that all lead to one shard make it the affected shard', () => {
    const latency = mapFault({ type: 'latency', links: { from: 'shard0.peers' }, ms: 300, jitter: 50 }, full);
    expect(latency.spec).toMatchObject({ kind: 'latency', ms: 300, jitterMs: 50 });
    expect(latency.shards).toEqual([0]);
    const bandwidth = mapFault({ type: 'bandwidth', links: { between: ['dc-a', 'dc-b'] }, kbps: 800 }, full);
    expect(bandwidth.spec).toMatchObject({ kind: 'bandwidth', rateKBps: 100 });
    const down = mapFault({ type: 'link-down', links: { from: 'cdn-edge', to: 'load-balancer' } }, full);
    expect(down.spec.kind).toBe('link-down');
    expect(down.target).toBe('from=cdn-edge,to=load-balancer');
  });

  it('restarts the component a target names, marking its shard for a Postgres node', () => {
    expect(mapFault({ type: 'restart', component: { replicaOf: 0 } }, full, 'shard0-1')).toEqual({
      spec: { kind: 'restart', component: 'shard0-1' },
      label: 'restart shard0-1',
      target: 'replicaOf 0 (shard0-1)',
      shards: [0],
    });
    expect(mapFault({ type: 'restart', component: 'dc-a.gateway-1' }, full, 'dc-a.gateway-1').shards).toBeUndefined();
  });

  it("makes a shard's replication asynchronous by its formation and every node of it", () => {
    const shard = full.shards.find((s) => s.id === 1)!;
    const mapped = mapFault({ type: 'async-replication', shard: 1 }, full);
    expect(mapped.spec).toEqual({ kind: 'async-replication', shard: 1, formation: shard.formation, nodes: shard.nodes });
    expect(mapped).toMatchObject({ target: 'shard 1', shards: [1] });
    expect(mapped.label).toMatch(/^async replication on shard 1 /);
    expect(() => mapFault({ type: 'async-replication', shard: 9 }, full)).toThrow(expect.objectContaining({ code: 'FAULT_TARGET_INVALID', message: expect.stringMatching(/no shard "9".*shards: 0, 1/) }));
  });

  it('names targets for people', () => {
    expect(describeTarget({ replicaOf: 1 })).toBe('replicaOf 1');
    expect(describeTarget('monitor')).toBe('monitor');
  });
});

describe('resolveComponentTarget', () => {
  const components = [
    { id: 'shard0-1', role: null, running: false },
    { id: 'shard0-2', role: 'primary', running: true },
    { id: 'shard1-1', role: 'primary', running: true },
    { id: 'shard1-2', role: 'secondary', running: true },
  ];

  it('finds the node holding a role now, from the status', () => {
    expect(resolveComponentTarget({ primaryOf: 0 }, full, components)).toBe('shard0-2');
    expect(resolveComponentTarget({ replicaOf: 1 }, full, components)).toBe('shard1-2');
    expect(resolveComponentTarget({ replicaOf: 0 }, full, components)).toBeUndefined();
    expect(resolveComponentTarget('dc-a.gateway-1', full, components)).toBe('dc-a.gateway-1');
  });
});
