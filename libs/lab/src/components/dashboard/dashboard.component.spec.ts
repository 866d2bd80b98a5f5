import { describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { createLabContext } from '../../lab-context.js';
import { labPaths } from '../../lab-paths.js';
import { runCommand } from '../../process/run-command.js';
import { dashboardRunner } from './dashboard.component.js';

describe('the dashboard component', () => {
  it('runs the dashboard process (what `faultline dashboard serve` runs) on its own loopback address with the lab\'s state dir, and stops on SIGTERM', () => {
    const ctx = createLabContext({
      topology: loadProfile('full', { portBase: 22_000 }),
      paths: labPaths('/srv/my lab'),
      isRoot: false,
      faultlineBin: '/repo/bin/faultline.js',
      faultProxyUrl: 'http://127.0.0.1:22000',
      run: runCommand,
    });
    expect(dashboardRunner.launch(ctx.component('dashboard'), ctx)).toEqual({
      command: process.execPath,
      args: ['--max-semi-space-size=1', '/repo/dist/apps/dashboard/src/main.js', '--state-dir', '/srv/my lab', '--host', '127.0.0.1', '--port', '22002'],
      stopSignal: 'SIGTERM',
    });
  });
});
