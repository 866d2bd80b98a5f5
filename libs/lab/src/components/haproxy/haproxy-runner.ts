import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Component, ComponentKind } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';
import { backendStates, type BackendServerState } from './haproxy-stats.js';

const configFile = (component: Component, ctx: LabContext): string => ctx.paths.confOf(component.id, 'haproxy.cfg');

/**
 * An HAProxy component: `prepare` writes the config (one HAProxy refuses makes the process exit at once,
 * with the reason in its log); it runs in the foreground (`-db`) and stops at once on SIGTERM. Healthy
 * when its stats endpoint answers; `describe` turns the servers' states into the health detail.
 */
export function haproxyRunner(
  kind: ComponentKind,
  config: (component: Component, ctx: LabContext) => string,
  describe: (servers: readonly BackendServerState[]) => string,
): ComponentRunner {
  return {
    kind,

    async prepare(component, ctx): Promise<void> {
      const file = configFile(component, ctx);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, config(component, ctx));
    },

    launch(component, ctx): ProcessLaunch {
      return { command: 'haproxy', args: ['-f', configFile(component, ctx), '-db'], stopSignal: 'SIGTERM' };
    },

    async check(component, ctx): Promise<ComponentHealth> {
      try {
        return { healthy: true, detail: describe(await backendStates(component, ctx)) };
      } catch (error) {
        return { healthy: false, detail: (error as Error).message };
      }
    },
  };
}
