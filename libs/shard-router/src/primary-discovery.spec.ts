import { describe, expect, it } from '@jest/globals';
import { discoveryFromMonitor, discoveryFromProbes, orderReplicas, type NodeProbe } from './primary-discovery.js';

const up = (name: string, inRecovery: boolean, readOnly = inRecovery): NodeProbe => ({ name, ok: true, inRecovery, readOnly });
const down = (name: string): NodeProbe => ({ name, ok: false, error: new Error('ECONNREFUSED') });

describe('discoveryFromProbes (the monitor cannot be asked)', () => {
  it('the one read-write node out of recovery is the primary; standbys are replicas', () => {
    expect(discoveryFromProbes([up('a', false), up('b', true), up('c', true)])).toEqual({ source: 'probe', primary: 'a', replicas: ['b', 'c'] });
  });

  it('a dead node is neither', () => {
    expect(discoveryFromProbes([down('a'), up('b', false)])).toMatchObject({ primary: 'b', replicas: [] });
  });

  it('a promoted node still read-only (trap 7) is taken as the primary: writes retry through the window', () => {
    expect(discoveryFromProbes([down('a'), up('b', false, true)])).toMatchObject({ primary: 'b', detail: 'b is promoted but still read-only' });
  });

  it('a read-write node wins over a promoted read-only one', () => {
    expect(discoveryFromProbes([up('a', false, true), up('b', false, false)])).toMatchObject({ primary: 'b' });
  });

  it('two read-write nodes (split brain): no primary', () => {
    const d = discoveryFromProbes([up('a', false), up('b', false)]);
    expect(d.primary).toBeUndefined();
    expect(d.detail).toMatch(/several nodes accept writes/);
  });

  it('only standbys, or nothing answering: no primary, and says why', () => {
    expect(discoveryFromProbes([up('a', true), down('b')])).toMatchObject({ primary: undefined, replicas: ['a'], detail: 'no node is out of recovery (no answer from b)' });
    expect(discoveryFromProbes([down('a'), down('b')])).toMatchObject({ primary: undefined, detail: 'no node answered' });
  });
});

describe('discoveryFromMonitor', () => {
  const row = (name: string, reportedState: string, health = 1, goalState = reportedState) => ({ name, reportedState, goalState, health });

  it('replicas are the secondaries its health checks do not find down', () => {
    const d = discoveryFromMonitor('a', [row('a', 'primary'), row('b', 'secondary'), row('c', 'secondary', 0), row('d', 'catchingup'), row('e', 'secondary', -1)]);
    expect(d).toEqual({ source: 'monitor', primary: 'a', replicas: ['b', 'e'] });
  });

  it('no writable node right now (mid-failover): no primary', () => {
    expect(discoveryFromMonitor(undefined, [row('a', 'demote_timeout', 0, 'demoted'), row('b', 'prepare_promotion', 1)])).toMatchObject({ primary: undefined, replicas: [] });
  });
});

describe('orderReplicas', () => {
  const nodes = [{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }, { name: 'n4' }];
  const dcs: Record<string, string> = { n1: 'dc-a', n2: 'dc-b', n3: 'dc-a', n4: 'dc-b' };
  const replicas = new Set(['n2', 'n3', 'n4']);
  const dcOf = (name: string) => dcs[name];

  it('same DC first, then the others, each in configuration order; only replicas', () => {
    expect(orderReplicas(nodes, replicas, { dc: 'dc-b', dcOf, isDown: () => false }).map((n) => n.name)).toEqual(['n2', 'n4', 'n3']);
    expect(orderReplicas(nodes, replicas, { dc: 'dc-a', dcOf, isDown: () => false }).map((n) => n.name)).toEqual(['n3', 'n2', 'n4']);
  });

  it('without a DC (or DCs unknown): configuration order', () => {
    expect(orderReplicas(nodes, replicas, { dcOf, isDown: () => false }).map((n) => n.name)).toEqual(['n2', 'n3', 'n4']);
    expect(orderReplicas(nodes, replicas, { dc: 'dc-a', dcOf: () => undefined, isDown: () => false }).map((n) => n.name)).toEqual(['n2', 'n3', 'n4']);
  });

  it('leaves out nodes marked down', () => {
    expect(orderReplicas(nodes, replicas, { dc: 'dc-b', dcOf, isDown: (n) => n === 'n2' }).map((n) => n.name)).toEqual(['n4', 'n3']);
  });
});
