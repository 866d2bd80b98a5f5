import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadProfile } from '#libs/topology';
import { prometheusConfig, scrapeTargets } from './prometheus.config.js';

interface ParsedConfig {
  global: Record<string, unknown>;
  rule_files: string[];
  scrape_configs: { job_name: string; metrics_path: string; honor_labels?: boolean; static_configs: { targets: string[]; labels: Record<string, string> }[] }[];
}

describe('prometheusConfig', () => {
  const topology = loadProfile('full', { portBase: 22_000 });
  const config = parse(prometheusConfig(topology, { faultProxyUrl: 'http://127.0.0.1:22000', ruleFiles: ['/srv/lab/conf/prometheus/slo-rules.yml'] })) as ParsedConfig;
  const job = (name: string) => config.scrape_configs.find((j) => j.job_name === name)!;
  const targetsOf = (name: string) => job(name).static_configs.map((s) => ({ address: s.targets[0], ...s.labels }));

  it('scrapes and evaluates rules every second, and loads the rule files it is given', () => {
    expect(config.global).toMatchObject({ scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s', external_labels: { lab: 'full' } });
    expect(config.rule_files).toEqual(['/srv/lab/conf/prometheus/slo-rules.yml']);
  });

  it('scrapes every app instance at its own address, one job per app, keeping the labels the apps set themselves', () => {
    for (const kind of ['gateway', 'user', 'media', 'worker'] as const) {
      const instances = topology.components.filter((c) => c.kind === kind);
      expect(job(kind).honor_labels).toBe(true);
      expect(targetsOf(kind)).toEqual(instances.map((c) => ({ address: `${c.host}:${c.port}`, instance: c.id, kind, dc: c.dc })));
    }
  });

  it('scrapes every HAProxy (the load balancers and the geo front) on its stats port', () => {
    const haproxies = topology.components.filter((c) => c.kind === 'load-balancer' || c.kind === 'geo-front');
    expect(haproxies.map((c) => c.id)).toEqual(['dc-a.lb', 'dc-b.lb', 'geo']);
    expect(targetsOf('haproxy')).toEqual(
      haproxies.map((c) => ({ address: `${c.host}:${c.ports.stats}`, instance: c.id, kind: c.kind, ...(c.dc ? { dc: c.dc } : {}) })),
    );
    expect(job('haproxy').honor_labels).toBeUndefined();
  });

  it('scrapes the fault proxy where the lab reaches it, the dashboard as "faultline-lab", and itself', () => {
    expect(targetsOf('fault-proxy')).toEqual([{ address: '127.0.0.1:22000', instance: 'faultproxy', kind: 'fault-proxy' }]);
    expect(targetsOf('faultline-lab')).toEqual([{ address: '127.0.0.1:22002', instance: 'dashboard', kind: 'dashboard' }]);
    expect(targetsOf('prometheus')).toEqual([{ address: '127.0.0.1:22001', instance: 'prometheus', kind: 'prometheus' }]);
    const external = scrapeTargets(topology, 'http://10.0.0.7:8474').find((t) => t.job === 'fault-proxy')!;
    expect(external.address).toBe('10.0.0.7:8474');
  });

  it('scrapes nothing that has no /metrics (stores, NATS, edges) and every target once', () => {
    const all = config.scrape_configs.flatMap((j) => j.static_configs.map((s) => s.labels.instance));
    const kinds = new Set(config.scrape_configs.flatMap((j) => j.static_configs.map((s) => s.labels.kind)));
    for (const kind of ['postgres', 'postgres-monitor', 'redis', 'nats', 'cdn-edge']) expect(kinds).not.toContain(kind);
    expect(new Set(all).size).toBe(all.length);
    expect(config.scrape_configs.every((j) => j.metrics_path === '/metrics')).toBe(true);
  });
});
