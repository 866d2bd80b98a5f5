import { describe, expect, it } from '@jest/globals';
import { builtInProfileNames, loadProfile } from '#libs/topology';
import { startWaves } from './start-waves.js';

describe('start waves', () => {
  it('start Prometheus and the dashboard last, together, after everything they watch (and so stop them first)', () => {
    for (const profile of builtInProfileNames) {
      const waves = startWaves(loadProfile(profile));
      expect(waves.at(-1)!.map((c) => c.id)).toEqual(['prometheus', 'dashboard']);
      expect(waves.slice(0, -1).flat().some((c) => c.kind === 'prometheus' || c.kind === 'dashboard')).toBe(false);
    }
  });

  it('start every component exactly once', () => {
    const topology = loadProfile('full');
    expect(startWaves(topology).flat().map((c) => c.id).sort()).toEqual(topology.components.map((c) => c.id).sort());
  });
});
