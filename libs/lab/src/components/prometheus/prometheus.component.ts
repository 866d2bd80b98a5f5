import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadSlos, renderPrometheusRules, SHIPPED_SLO_DIR } from '#libs/slo';
import type { Component, Topology } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { httpGet } from '../../readiness/http-get.js';
import { httpHealth } from '../../readiness/http-health.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';
import { prometheusConfig, RETENTION, SCRAPE_INTERVAL_SECONDS } from './prometheus.config.js';

const configFile = (component: Component, ctx: LabContext): string => ctx.paths.confOf(component.id, 'prometheus.yml');
const rulesFile = (component: Component, ctx: LabContext): string => ctx.paths.confOf(component.id, 'slo-rules.yml');

/** The SLO recording rules and burn-rate alerts of the shipped SLO documents, at the lab's time scale. */
export const sloRules = (topology: Topology): string =>
  renderPrometheusRules(loadSlos(SHIPPED_SLO_DIR), { timeScale: topology.slo.timeScale, scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS });

interface TargetsAnswer {
  data: { activeTargets: { health: 'up' | 'down' | 'unknown'; labels: Record<string, string>; lastError: string }[] };
}

/**
 * Debian's Prometheus (`/usr/bin/prometheus`), scraping the lab every second (see `prometheusConfig`) with the
 * SLO rules rendered by libs/slo; its TSDB lives under the lab's data dir and keeps a workshop day. `prepare`
 * rewrites both files on every `up`, so a changed topology or time scale takes effect at the next start.
 */
export const prometheusRunner: ComponentRunner = {
  kind: 'prometheus',

  async prepare(component, ctx): Promise<void> {
    mkdirSync(ctx.paths.dataOf(component.id), { recursive: true });
    const config = configFile(component, ctx);
    const rules = rulesFile(component, ctx);
    mkdirSync(dirname(config), { recursive: true });
    writeFileSync(rules, sloRules(ctx.topology));
    writeFileSync(config, prometheusConfig(ctx.topology, { faultProxyUrl: ctx.faultProxyUrl, ruleFiles: [rules] }));
  },

  launch(component, ctx): ProcessLaunch {
    return {
      command: 'prometheus',
      args: [
        `--config.file=${configFile(component, ctx)}`,
        `--storage.tsdb.path=${ctx.paths.dataOf(component.id)}`,
        `--storage.tsdb.retention.time=${RETENTION}`,
        `--web.listen-address=${component.host}:${component.port}`,
        // POST /-/reload re-reads the config and rules without losing the series (loopback only).
        '--web.enable-lifecycle',
      ],
      stopSignal: 'SIGTERM',
    };
  },

  /** Ready once its TSDB is open (`/-/ready`); the detail counts the scrape targets that are up. */
  async check(component): Promise<ComponentHealth> {
    const base = `http://${component.host}:${component.port}`;
    const ready = await httpHealth(`${base}/-/ready`, 1000);
    if (!ready.healthy) return ready;
    try {
      const answer = await httpGet(`${base}/api/v1/targets?state=active`, { timeoutMs: 1000 });
      const targets = (JSON.parse(answer.body) as TargetsAnswer).data.activeTargets;
      const down = targets.filter((t) => t.health === 'down').map((t) => t.labels.instance ?? '?');
      const up = targets.filter((t) => t.health === 'up').length;
      return { healthy: true, detail: `targets up ${up}/${targets.length}${down.length ? `; down: ${down.join(', ')}` : ''}` };
    } catch (error) {
      return { healthy: true, detail: `targets unknown (${(error as Error).message})` };
    }
  },
};
