import { dirname, join } from 'node:path';
import type { Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { httpHealth } from '../../readiness/http-health.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';

/**
 * The dashboard process (apps/dashboard/src/main.js), as `faultline dashboard serve` runs it too. It finds the
 * topology, the fault ledger, the experiment reports and Prometheus from the state dir alone.
 */
export const DASHBOARD_NODE_FLAGS = '--max-semi-space-size=1';

/** The dashboard's compiled entry point, beside the CLI's `bin/faultline.js`. */
export const dashboardEntryPoint = (faultlineBin: string): string => join(dirname(faultlineBin), '..', 'dist', 'apps', 'dashboard', 'src', 'main.js');

/** The node arguments that run the dashboard. */
export const dashboardProcessArgs = (faultlineBin: string, serve: { readonly stateDir: string; readonly host: string; readonly port: number; readonly allowRemote?: boolean }): string[] => [
  // A 1 MB young generation (Node's default grows it to 16 MB) keeps its RSS ~35 MB lower (measured 103 vs
  // 140 MB): it allocates little per request, and the `full` lab's memory goal is 3 GiB.
  DASHBOARD_NODE_FLAGS,
  dashboardEntryPoint(faultlineBin),
  '--state-dir',
  serve.stateDir,
  '--host',
  serve.host,
  '--port',
  String(serve.port),
  ...(serve.allowRemote ? ['--allow-remote'] : []),
];

export const dashboardRunner: ComponentRunner = {
  kind: 'dashboard',

  async prepare(): Promise<void> {},

  launch(component: Component, ctx: LabContext): ProcessLaunch {
    return {
      command: process.execPath,
      args: dashboardProcessArgs(ctx.faultlineBin, { stateDir: ctx.paths.root, host: component.host, port: component.port }),
      stopSignal: 'SIGTERM',
    };
  },

  /** `GET /health` answers 200 as soon as it listens. */
  check(component: Component): Promise<ComponentHealth> {
    return httpHealth(`http://${component.host}:${component.port}/health`, 1000);
  },
};
