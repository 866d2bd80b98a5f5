import type { Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { httpGet } from '../../readiness/http-get.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';

/**
 * faultline's own Toxiproxy-compatible server, run as `faultline toxiproxy-server` — the very command a
 * user would run. When FAULTLINE_TOXIPROXY_URL names a real Toxiproxy the lab uses that instead and
 * starts nothing here (see `usesExternalFaultProxy`).
 */
export const faultProxyRunner: ComponentRunner = {
  kind: 'fault-proxy',

  async prepare(): Promise<void> {},

  launch(component: Component, ctx: LabContext): ProcessLaunch {
    return {
      command: process.execPath,
      args: [ctx.faultlineBin, 'toxiproxy-server', '-host', component.host, '-port', String(component.port)],
      stopSignal: 'SIGTERM',
    };
  },

  async check(_component: Component, ctx: LabContext): Promise<ComponentHealth> {
    try {
      const answer = await httpGet(`${ctx.faultProxyUrl}/version`, { timeoutMs: 1000 });
      if (answer.status !== 200) return { healthy: false, detail: `GET /version answered ${answer.status}` };
      const version = (JSON.parse(answer.body) as { version?: string }).version;
      return { healthy: true, detail: `toxiproxy API ${version ?? '?'}` };
    } catch (error) {
      return { healthy: false, detail: (error as Error).message };
    }
  },
};

export const usesExternalFaultProxy = (env: NodeJS.ProcessEnv = process.env): boolean => Boolean(env.FAULTLINE_TOXIPROXY_URL);
