import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { httpGet } from '../../readiness/http-get.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';
import { describeEdgeCacheStats, readEdgeCacheStats } from './edge-cache-stats.js';
import { EDGE_HEALTH_URI, edgeConfig, edgeFiles } from './nginx.config.js';

/**
 * A DC's CDN edge: nginx (foreground, `daemon off` in its config) caching media reads; see `edgeConfig`.
 * Its health detail counts the X-Cache values of its answers so far (from its access log).
 */
export const cdnEdgeRunner: ComponentRunner = {
  kind: 'cdn-edge',

  async prepare(component, ctx): Promise<void> {
    const files = edgeFiles(component, ctx.paths);
    for (const dir of [files.prefix, files.cache, ...files.tempDirs, dirname(files.config), dirname(files.pid), dirname(files.accessLog)])
      mkdirSync(dir, { recursive: true });
    writeFileSync(files.config, edgeConfig(component, ctx));
    // Left behind by an nginx that was SIGKILLed; nginx would fail to bind it again.
    rmSync(files.originSocket, { force: true });
  },

  launch(component, ctx): ProcessLaunch {
    // SIGTERM: the master stops its workers and removes its socket and pid file.
    const files = edgeFiles(component, ctx.paths);
    return { command: 'nginx', args: ['-p', files.prefix, '-c', files.config], stopSignal: 'SIGTERM' };
  },

  async check(component, ctx): Promise<ComponentHealth> {
    let answer;
    try {
      answer = await httpGet(`http://${component.host}:${component.port}${EDGE_HEALTH_URI}`, { timeoutMs: 1000 });
    } catch (error) {
      return { healthy: false, detail: (error as Error).message };
    }
    if (answer.status !== 200) return { healthy: false, detail: `${EDGE_HEALTH_URI} answered ${answer.status}` };
    try {
      return { healthy: true, detail: describeEdgeCacheStats(await readEdgeCacheStats(edgeFiles(component, ctx.paths).accessLog)) };
    } catch (error) {
      return { healthy: true, detail: `cache statistics unavailable: ${(error as Error).message}` };
    }
  },
};
