import { describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { compareLsn, componentAtRegisteredAddress, describeState, isSettled, likelyPrimary, type PostgresNodeState } from './postgres-roles.js';

const node = (name: string, reportedState: string, goalState: string, timeline: number, lsn: string): PostgresNodeState => ({
  componentId: name, formation: 'shard1', shard: 1, nodeId: 1, name, address: '127.0.0.1:1',
  reportedState, goalState, role: null, isPrimary: false, settled: false, health: 'unknown',
  pgIsRunning: false, timeline, lsn, reportedAt: '', summary: '',
});

describe('postgres roles', () => {
  it('maps the address a node registered with (its peer ingress on 127.0.0.1) back to the component', () => {
    const topology = loadProfile('full');
    for (const shard of topology.shards) {
      for (const id of shard.nodes) {
        const node = topology.components.find((c) => c.id === id)!;
        expect(node.host).toBe('127.0.0.2');
        expect(componentAtRegisteredAddress(topology, '127.0.0.1', node.port)?.id).toBe(id);
      }
    }
    expect(componentAtRegisteredAddress(topology, '127.0.0.1', 1)).toBeUndefined();
  });

  it('counts resting states of one side as settled, transitions as not', () => {
    expect(isSettled('primary', 'primary')).toBe(true);
    expect(isSettled('single', 'single')).toBe(true);
    // A primary whose standby is down waits in wait_primary with goal primary: still serving writes.
    expect(isSettled('wait_primary', 'primary')).toBe(true);
    expect(isSettled('secondary', 'secondary')).toBe(true);
    expect(isSettled('catchingup', 'secondary')).toBe(false);
    expect(isSettled('secondary', 'prepare_promotion')).toBe(false);
    expect(isSettled('primary', 'draining')).toBe(false);
    expect(isSettled('demoted', 'catchingup')).toBe(false);
  });

  it('describes a transition with an arrow', () => {
    expect(describeState('primary', 'primary')).toBe('primary');
    expect(describeState('catchingup', 'secondary')).toBe('catchingup → secondary');
  });

  it('compares LSNs by value, not as text', () => {
    expect(compareLsn('0/9000000', '0/10000000')).toBe(-1);
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBe(1);
    expect(compareLsn('16/B374D848', '16/B374D848')).toBe(0);
  });

  describe('the node to start first when the monitor names no primary', () => {
    it('is the one the monitor was promoting, even while the old primary still reports primary', () => {
      const oldPrimary = node('shard1-1', 'primary', 'demote_timeout', 1, '0/5000000');
      const candidate = node('shard1-2', 'secondary', 'prepare_promotion', 1, '0/4FFFFF0');
      expect(likelyPrimary([oldPrimary, candidate])?.name).toBe('shard1-2');
    });

    it('is a node reporting primary that nobody is demoting (its standby was stopped first)', () => {
      const primary = node('shard1-2', 'primary', 'wait_primary', 2, '0/6000000');
      const standby = node('shard1-1', 'secondary', 'catchingup', 2, '0/6000000');
      expect(likelyPrimary([standby, primary])?.name).toBe('shard1-2');
    });

    it('otherwise is the most advanced node: later timeline first, then further LSN', () => {
      const behind = node('a', 'demoted', 'catchingup', 2, '0/9000000');
      const ahead = node('b', 'demoted', 'catchingup', 2, '0/10000000');
      const olderTimeline = node('c', 'demoted', 'catchingup', 1, '0/20000000');
      expect(likelyPrimary([behind, olderTimeline, ahead])?.name).toBe('b');
      expect(likelyPrimary([])).toBeUndefined();
    });
  });
});
