import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxyServer, type FaultProxyServer } from '#libs/fault-proxy';
import { errorRatioSeries, loadSlos, SHIPPED_SLO_DIR } from '#libs/slo';
import { loadProfile, type Component, type Topology } from '#libs/topology';
import type { ComponentRunner } from '../../../libs/lab/src/components/component-runner.js';
import { loadBalancerRunner } from '../../../libs/lab/src/components/haproxy/load-balancer.component.js';
import { prometheusRunner } from '../../../libs/lab/src/components/prometheus/prometheus.component.js';
import { createLabContext, type LabContext } from '../../../libs/lab/src/lab-context.js';
import { labPaths } from '../../../libs/lab/src/lab-paths.js';
import { isRunningAsRoot } from '../../../libs/lab/src/process/as-user.js';
import type { ProcessIdentity } from '../../../libs/lab/src/process/process-identity.js';
import { runCommand } from '../../../libs/lab/src/process/run-command.js';
import { spawnDetached } from '../../../libs/lab/src/process/spawn-detached.js';
import { stopProcessGroup } from '../../../libs/lab/src/process/stop-process-group.js';
import { httpGet } from '../../../libs/lab/src/readiness/http-get.js';
import { waitUntil } from '../../../libs/lab/src/readiness/wait-until.js';
import { startApiStandIn } from './support/api-stand-in.js';
import { topologyOnFreePorts } from './support/postgres-lab.js';

/**
 * The lab's Prometheus, started by its runner against part of a minimal lab: the fault proxy (faultline's
 * own server), one gateway's HTTP layer with its real metrics, and the DC's load balancer (a real HAProxy).
 * The rest of the lab is not running, which Prometheus must show as targets down. A time scale of 600 makes
 * the SLO rules' shortest windows a few seconds long, so a recorded error ratio appears within seconds.
 */

const TIME_SCALE = 600;
let topology: Topology;
let ctx: LabContext;
let stateDir: string;
let faultProxy: FaultProxyServer | undefined;
let api: NestFastifyApplication | undefined;
const processes: { identity: ProcessIdentity; stopSignal: NodeJS.Signals }[] = [];
const measured: Record<string, number> = {};

async function start(component: Component, runner: ComponentRunner): Promise<void> {
  const t0 = Date.now();
  await runner.prepare(component, ctx);
  const launch = runner.launch(component, ctx);
  processes.push({ identity: await spawnDetached(launch, ctx.paths.logFile(component.id)), stopSignal: launch.stopSignal ?? 'SIGTERM' });
  await waitUntil(
    `${component.id} healthy`,
    async () => {
      const health = await runner.check(component, ctx);
      if (!health.healthy) throw new Error(health.detail ?? 'unhealthy');
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- ${component.id} log ---\n${readFileSync(ctx.paths.logFile(component.id), 'utf8').slice(-2000)}`);
  });
  measured[`${component.id} ready ms`] = Date.now() - t0;
}

interface Target {
  health: 'up' | 'down' | 'unknown';
  labels: Record<string, string>;
  scrapeUrl: string;
  lastError: string;
}

const prometheusApi = async <T>(path: string): Promise<T> => {
  const prometheus = ctx.component('prometheus');
  const answer = await httpGet(`http://${prometheus.host}:${prometheus.port}${path}`, { timeoutMs: 3000 });
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  return (JSON.parse(answer.body) as { data: T }).data;
};
const query = (promql: string) =>
  prometheusApi<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`).then((d) => d.result);

/** Steady traffic on the stand-in gateway's API while the test runs: one request in four fails. */
const traffic = { sent: 0, failed: 0, running: true, done: Promise.resolve() };
async function sendTraffic(): Promise<void> {
  const gateway = ctx.component('dc-a.gateway-1');
  while (traffic.running) {
    const fail = traffic.sent % 4 === 3;
    await httpGet(`http://${gateway.host}:${gateway.port}/v1/ping${fail ? '?fail=1' : ''}`, { timeoutMs: 2000 });
    traffic.sent++;
    if (fail) traffic.failed++;
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  topology = await topologyOnFreePorts((portBase) => loadProfile('minimal', { portBase, sloTimeScale: TIME_SCALE }));
  stateDir = mkdtempSync(join(tmpdir(), 'faultline-prometheus-'));
  const paths = labPaths(stateDir);
  for (const dir of [paths.logsDir, paths.dataDir, paths.confDir, paths.runDir]) mkdirSync(dir, { recursive: true });
  const proxy = topology.components.find((c) => c.kind === 'fault-proxy')!;
  ctx = createLabContext({
    topology,
    paths,
    isRoot: isRunningAsRoot(),
    faultlineBin: join(process.cwd(), 'bin', 'faultline.js'),
    faultProxyUrl: `http://${proxy.host}:${proxy.port}`,
    run: runCommand,
  });
  faultProxy = await startFaultProxyServer({ host: proxy.host, port: proxy.port });
  api = await startApiStandIn(ctx.component('dc-a.gateway-1'));
  await start(ctx.component('dc-a.lb'), loadBalancerRunner);
  traffic.done = sendTraffic();
  await start(ctx.component('prometheus'), prometheusRunner);
}, 60_000);

afterAll(async () => {
  traffic.running = false;
  await traffic.done.catch(() => undefined);
  for (const p of processes.reverse()) await stopProcessGroup(p.identity, { signal: p.stopSignal, timeoutMs: 5000 });
  await api?.close();
  await faultProxy?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  process.stdout.write(`prometheus test measurements: ${JSON.stringify({ ...measured, requestsSent: traffic.sent })}\n`);
}, 30_000);

describe('the lab\'s Prometheus', () => {
  it('scrapes what runs (up, with the lab\'s labels) and shows what does not as down', async () => {
    const t0 = Date.now();
    const expectedUp = ['dc-a.gateway-1', 'dc-a.lb', 'faultproxy', 'prometheus'];
    const targets = await waitUntil(
      'the running targets scraped',
      async () => {
        const active = (await prometheusApi<{ activeTargets: Target[] }>('/api/v1/targets?state=active')).activeTargets;
        const unknown = active.filter((t) => t.health === 'unknown');
        if (unknown.length > 0) throw new Error(`not scraped yet: ${unknown.map((t) => t.labels.instance).join(', ')}`);
        const up = active.filter((t) => t.health === 'up').map((t) => t.labels.instance);
        if (expectedUp.some((id) => !up.includes(id))) throw new Error(`up: ${up.join(', ')}`);
        return active;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    measured['targets up ms'] = Date.now() - t0;

    const byInstance = Object.fromEntries(targets.map((t) => [t.labels.instance!, t]));
    expect(targets.filter((t) => t.health === 'up').map((t) => t.labels.instance).sort()).toEqual([...expectedUp].sort());
    // Every app instance, the dashboard: scraped, and down since they do not run here.
    const notRunning = topology.components.filter((c) => ['gateway', 'user', 'media', 'worker', 'dashboard'].includes(c.kind) && c.id !== 'dc-a.gateway-1');
    for (const c of notRunning) expect(byInstance[c.id]).toMatchObject({ health: 'down', scrapeUrl: `http://${c.host}:${c.port}/metrics` });
    expect(byInstance['dashboard']!.labels.job).toBe('faultline-lab');

    const lb = ctx.component('dc-a.lb');
    expect(byInstance['dc-a.lb']).toMatchObject({ scrapeUrl: `http://${lb.host}:${lb.ports.stats}/metrics`, labels: { job: 'haproxy', kind: 'load-balancer', dc: 'dc-a' } });
    expect(byInstance['dc-a.gateway-1']!.labels).toMatchObject({ job: 'gateway', kind: 'gateway', dc: 'dc-a' });
    expect(byInstance['faultproxy']!.labels).toMatchObject({ job: 'fault-proxy', kind: 'fault-proxy' });

    // HAProxy's own exporter and the fault proxy's metrics really arrive, under the lab's labels.
    expect(await query('haproxy_process_nbthread{instance="dc-a.lb"}')).toHaveLength(1);
    expect((await query('count({job="fault-proxy"})'))[0]!.value[1]).not.toBe('0');
    // The apps' own labels are kept, not renamed exported_*.
    const series = await query('http_requests_total{job="gateway",app="gateway",instance="dc-a.gateway-1",dc="dc-a",route="/v1/ping"}');
    expect(series.length).toBeGreaterThan(0);
    expect(series.every((s) => !('exported_instance' in s.metric) && !('exported_dc' in s.metric))).toBe(true);

    // The runner's health detail counts them too.
    const health = await prometheusRunner.check(ctx.component('prometheus'), ctx);
    expect(health).toEqual({ healthy: true, detail: expect.stringMatching(new RegExp(`^targets up ${expectedUp.length}/${targets.length}; down: `)) });
  }, 30_000);

  it('loads the SLO rules at the lab\'s time scale, and records the API\'s error ratio from the gateway\'s traffic', async () => {
    const groups = (await prometheusApi<{ groups: { name: string; rules: { health: string; lastError?: string }[] }[] }>('/api/v1/rules')).groups;
    // Per SLO a group evaluated every scrape, and a slower one for its long windows (the 30d window is 1 h here).
    expect(groups.map((g) => g.name).sort()).toEqual(loadSlos(SHIPPED_SLO_DIR).flatMap((s) => [`slo-${s.name}`, `slo-${s.name}-long`]).sort());
    expect(groups.flatMap((g) => g.rules).filter((r) => r.health === 'err')).toEqual([]);

    const t0 = Date.now();
    const [sample] = await waitUntil(
      'a recorded error ratio',
      async () => {
        const result = await query(errorRatioSeries('api-availability', '5m'));
        if (result.length === 0) throw new Error('no sample yet');
        return result;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    measured['first recorded ratio ms'] = Date.now() - t0;
    expect(sample!.metric).toMatchObject({ __name__: 'slo:sli_error:ratio_rate5m', slo: 'api-availability' });
    // rate() over a few seconds of steady traffic: close to the share of requests that failed.
    const sentShare = traffic.failed / traffic.sent;
    expect(Math.abs(Number(sample!.value[1]) - sentShare)).toBeLessThan(0.1);
  }, 30_000);
});
