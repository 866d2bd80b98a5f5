import { describe, expect, it } from '@jest/globals';
import { InvalidTopologyError } from './topology.errors.js';
import { fixedPortOffsets } from './derive-topology.js';
import { builtInProfileNames, loadProfile, resolveTopology, topologyFromText } from './load-topology.js';
import { MAX_SLO_TIME_SCALE } from './topology.spec-schema.js';
import { selectLinks } from './select-links.js';

function issuesOf(text: string) {
  try {
    topologyFromText(text, 'test.yaml');
  } catch (error) {
    if (error instanceof InvalidTopologyError) return error.issues;
    throw error;
  }
  throw new Error('expected the topology to be refused');
}

describe('built-in profiles', () => {
  it('minimal has one DC, one shard with primary and replica, two gateways behind the LB as entrypoint', () => {
    const t = loadProfile('minimal');
    expect(t.dataCenters.map((d) => d.id)).toEqual(['dc-a']);
    expect(t.shards).toEqual([{ id: 0, formation: 'shard0', nodes: ['shard0-1', 'shard0-2'] }]);
    expect(t.components.filter((c) => c.kind === 'gateway').map((c) => c.id)).toEqual(['dc-a.gateway-1', 'dc-a.gateway-2']);
    expect(t.entrypoint).toBe('dc-a.lb');
    expect(t.components.some((c) => c.kind === 'geo-front')).toBe(false);
    for (const kind of ['user', 'media', 'worker', 'redis', 'nats', 'cdn-edge', 'postgres-monitor'] as const)
      expect(t.components.some((c) => c.kind === kind)).toBe(true);
  });

  it('full puts shard 0 primary in dc-a and shard 1 primary in dc-b with replicas across, behind a geo front', () => {
    const t = loadProfile('full');
    const node = (id: string) => t.components.find((c) => c.id === id)!;
    expect(t.entrypoint).toBe('geo');
    expect([node('shard0-1').dc, node('shard0-1').initialRole, node('shard0-2').dc]).toEqual(['dc-a', 'primary', 'dc-b']);
    expect([node('shard1-1').dc, node('shard1-1').initialRole, node('shard1-2').dc]).toEqual(['dc-b', 'primary', 'dc-a']);
    for (const dc of ['dc-a', 'dc-b'])
      expect(t.components.filter((c) => c.dc === dc && c.kind === 'gateway')).toHaveLength(2);
  });

  it('gives every component and every proxy its own port, none of them a pre-started service port', () => {
    const t = loadProfile('full');
    const addresses = [
      ...t.components.flatMap((c) => [c.port, ...Object.values(c.ports)].map((port) => `${c.host}:${port}`)),
      ...t.links.map((l) => `${l.listen.host}:${l.listen.port}`),
    ];
    expect(new Set(addresses).size).toBe(addresses.length);
    const ports = addresses.map((a) => Number(a.split(':')[1]));
    for (const reserved of [5432, 6379, 4222, 8474]) expect(ports).not.toContain(reserved);
  });

  it('routes every link to a real port of its target component', () => {
    const t = loadProfile('full');
    for (const link of t.links) {
      const target = t.components.find((c) => c.id === link.to)!;
      expect(link.upstream.host).toBe(target.host);
      expect([target.port, ...Object.values(target.ports)]).toContain(link.upstream.port);
    }
  });

  it('puts each Postgres node\'s peer ingress on 127.0.0.1 at the port the node registers with the monitor', () => {
    const t = loadProfile('full');
    for (const node of t.components.filter((c) => c.kind === 'postgres')) {
      const ingress = t.links.find((l) => l.kind === 'sql-peer' && l.to === node.id)!;
      expect(node.host).not.toBe('127.0.0.1');
      expect(ingress.listen).toEqual({ host: '127.0.0.1', port: node.port });
    }
  });
});

describe('observability components', () => {
  it('every profile has Prometheus and the dashboard, lab-wide, at their fixed ports, started by no link', () => {
    for (const profile of builtInProfileNames) {
      const t = loadProfile(profile, { portBase: 22_000 });
      const observability = t.components.filter((c) => c.kind === 'prometheus' || c.kind === 'dashboard');
      expect(observability).toEqual([
        { id: 'prometheus', kind: 'prometheus', dc: null, host: '127.0.0.1', port: 22_000 + fixedPortOffsets.prometheus, ports: {} },
        { id: 'dashboard', kind: 'dashboard', dc: null, host: '127.0.0.1', port: 22_000 + fixedPortOffsets.dashboard, ports: {} },
      ]);
      expect(t.links.filter((l) => l.from === 'prometheus' || l.to === 'prometheus' || l.from === 'dashboard' || l.to === 'dashboard')).toEqual([]);
    }
  });

  it('leaves the other components\' ports where they were', () => {
    const t = loadProfile('minimal');
    expect(t.components.find((c) => c.id === 'monitor')!.port).toBe(21_010);
    expect(t.components.find((c) => c.kind === 'fault-proxy')!.port).toBe(21_000);
  });
});

describe('the SLO time scale', () => {
  const file = (slo: string) => `name: mine\ndataCenters:\n  - id: dc-x\n    region: eu\nshards:\n  - primary: dc-x\n    replicas: [dc-x]\n${slo}`;

  it('is real time (1) unless the spec says otherwise', () => {
    expect(loadProfile('full').slo).toEqual({ timeScale: 1 });
    expect(topologyFromText(file('slo:\n  timeScale: 60\n'), 'mine.yaml').slo).toEqual({ timeScale: 60 });
  });

  it('refuses a scale below 1 or one that is not a number, with its field and line', () => {
    expect(issuesOf(file('slo:\n  timeScale: 0.5\n'))).toEqual([
      { path: 'slo.timeScale', line: 9, message: expect.stringContaining('at least 1') },
    ]);
    expect(issuesOf(file('slo:\n  timeScale: fast\n'))).toEqual([{ path: 'slo.timeScale', line: 9, message: expect.stringContaining('must be a number') }]);
    expect(issuesOf(file('slo:\n  timescale: 60\n'))[0]!.message).toMatch(/timescale/);
  });

  it('can be overridden (faultline up --slo-time-scale), and the override is validated like the spec', () => {
    expect(loadProfile('minimal', { sloTimeScale: 720 }).slo).toEqual({ timeScale: 720 });
    expect(topologyFromText(file('slo:\n  timeScale: 60\n'), 'mine.yaml', { sloTimeScale: 2 }).slo).toEqual({ timeScale: 2 });
    expect(() => loadProfile('minimal', { sloTimeScale: 0 })).toThrow(/slo\.timeScale: must be at least 1/);
    expect(() => resolveTopology({ profile: 'full', sloTimeScale: MAX_SLO_TIME_SCALE + 1 })).toThrow(new RegExp(`at most ${MAX_SLO_TIME_SCALE}`));
  });
});

describe('link selection', () => {
  it('a partition between dc-a and dc-b picks every crossing link and nothing inside a DC', () => {
    const t = loadProfile('full');
    const cut = selectLinks(t, { between: ['dc-a', 'dc-b'] });
    expect(cut.length).toBeGreaterThan(0);
    for (const link of cut) expect(new Set([link.fromDc, link.toDc])).toEqual(new Set(['dc-a', 'dc-b']));
    const crossing = t.links.filter((l) => l.fromDc && l.toDc && l.fromDc !== l.toDc);
    expect(cut.map((l) => l.name).sort()).toEqual(crossing.map((l) => l.name).sort());
    expect(cut.map((l) => l.name)).toEqual(expect.arrayContaining(['dc-a.nats->dc-b.nats', 'dc-b.nats->dc-a.nats']));
  });

  it('a one-way partition picks only the links from the first DC to the second', () => {
    const t = loadProfile('full');
    const cut = selectLinks(t, { between: ['dc-a', 'dc-b'], oneWay: true });
    expect(cut.length).toBeGreaterThan(0);
    for (const link of cut) expect([link.fromDc, link.toDc]).toEqual(['dc-a', 'dc-b']);
  });

  it('selects by component kind and DC', () => {
    const t = loadProfile('full');
    const links = selectLinks(t, { from: 'dc-b', to: 'postgres', kind: 'sql' });
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.fromDc).toBe('dc-b');
      expect(link.to).toMatch(/^shard\d-\d$/);
    }
  });
});

describe('validation of a user topology file', () => {
  it('accepts a valid YAML file and fills defaults', () => {
    const t = topologyFromText('name: mine\ndataCenters:\n  - id: dc-x\n    region: eu\nshards:\n  - primary: dc-x\n    replicas: [dc-x]\n', 'mine.yaml');
    expect(t.components.filter((c) => c.kind === 'gateway')).toHaveLength(2);
    expect(t.portBase).toBe(21000);
  });

  it('names the field, the reason and the line of an unknown data center', () => {
    const issues = issuesOf('name: mine\ndataCenters:\n  - id: dc-x\n    region: eu\nshards:\n  - primary: dc-y\n    replicas: [dc-x]\n');
    expect(issues).toEqual([{ path: 'shards.0.primary', message: 'unknown data center "dc-y" (known: dc-x)', line: 6 }]);
  });

  it('refuses a wrong type, an unknown field and a shard without replicas, each by its path', () => {
    const issues = issuesOf('name: mine\nportBase: "high"\nzones: 3\ndataCenters:\n  - id: dc-x\n    region: eu\nshards:\n  - primary: dc-x\n    replicas: []\n');
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['portBase', '', 'shards.0.replicas']));
    expect(issues.find((i) => i.path === '')!.message).toMatch(/zones/);
    expect(issues.find((i) => i.path === 'portBase')!.line).toBe(2);
  });

  it('refuses a port range that reaches the kernel\'s ephemeral ports, saying where it must end', () => {
    const issues = issuesOf('name: mine\nportBase: 40000\ndataCenters:\n  - id: dc-x\n    region: eu\nshards:\n  - primary: dc-x\n    replicas: [dc-x]\n');
    expect(issues).toEqual([expect.objectContaining({ path: 'portBase', line: 2, message: expect.stringContaining('at most 32268') })]);
  });

  it('reports a YAML syntax error with its line', () => {
    const issues = issuesOf('name: mine\ndataCenters: [\n');
    expect(issues[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses two data centers serving one region', () => {
    const issues = issuesOf(
      'name: two\ndataCenters:\n  - {id: dc-a, region: eu}\n  - {id: dc-b, region: eu}\nshards:\n  - {primary: dc-a, replicas: [dc-b]}\n',
    );
    expect(issues[0]).toMatchObject({ path: 'dataCenters.1.region', line: 4 });
  });
});
