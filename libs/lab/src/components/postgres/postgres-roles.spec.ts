import { describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { componentAtRegisteredAddress, describeState, isSettled } from './postgres-roles.js';

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
});
