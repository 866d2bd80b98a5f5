import type { Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { httpHealth } from '../../readiness/http-health.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';

/**
 * The dashboard, run as `faultline dashboard serve` — the very command a user would run. It finds the
 * topology, the fault ledger, the experiment reports and Prometheus from the state dir alone.
 */
export const dashboardRunner: ComponentRunner = {
  kind: 'dashboard',

  async prepare(): Promise<void> {},

  launch(component: Component, ctx: LabContext): ProcessLaunch {
    return {
      command: process.execPath,
      args: [ctx.faultlineBin, 'dashboard', 'serve', '--state-dir', ctx.paths.root, '--host', component.host, '--port', String(component.port)],
      stopSignal: 'SIGTERM',
    };
  },

  /** `GET /health` answers 200 as soon as it listens. */
  check(component: Component): Promise<ComponentHealth> {
    return httpHealth(`http://${component.host}:${component.port}/health`, 1000);
  },
};
