import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile, type Topology } from '#libs/topology';
import { labObservability } from './lab-observability.js';
import { labPaths } from './lab-paths.js';
import { labSecret } from './lab-secret.js';

const stateDir = mkdtempSync(join(tmpdir(), 'faultline-observability-spec-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('labObservability', () => {
  const paths = labPaths(stateDir);

  it('gives the dashboard\'s page with the admin token the dashboard reads, and Prometheus\'s URL', () => {
    const seen = labObservability(loadProfile('minimal', { portBase: 22_000 }), paths);
    expect(seen).toEqual({
      dashboard: { url: 'http://127.0.0.1:22002/', adminToken: labSecret(paths, 'dashboard-admin-token') },
      prometheus: { url: 'http://127.0.0.1:22001' },
    });
    expect(seen.dashboard!.adminToken).toMatch(/^[0-9a-f]{64}$/);
    expect(labObservability(loadProfile('full'), paths).dashboard!.adminToken).toBe(seen.dashboard!.adminToken);
  });

  it('has neither for a lab recorded before they existed', () => {
    const old = loadProfile('minimal');
    const without: Topology = { ...old, components: old.components.filter((c) => c.kind !== 'prometheus' && c.kind !== 'dashboard') };
    expect(labObservability(without, paths)).toEqual({ dashboard: null, prometheus: null });
  });
});
