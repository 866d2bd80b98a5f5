import { describe, expect, it } from '@jest/globals';
import { partitionLinks } from '#chaos';
import { buildSnapshot, sortSlos, type SnapshotInput } from './build-snapshot.js';
import type { SloView } from './snapshot.model.js';
import { faultRecord, labStateOf, labStatusOf, topologyOf } from './testing/lab.fixtures.js';

const NOW = Date.parse('2026-11-27T08:05:00Z');
const topology = topologyOf('full');

const slo = (name: string, budgetRemaining: number | null): SloView => ({
  name,
  displayName: name,
  service: 'public-api',
  description: '',
  target: 0.999,
  sli: budgetRemaining === null ? null : 0.9995,
  budgetRemaining,
  burnRates: [],
  alerts: [],
  timeToExhaustionSeconds: null,
  alertState: budgetRemaining === null ? 'no-data' : 'ok',
});

const charts = { rangeSeconds: 300, throughput: { times: [1, 2], values: [3, 4] }, errorRatio: { times: [], values: [] }, latency: { p50: { times: [], values: [] }, p95: { times: [], values: [] }, p99: { times: [], values: [] } } };

const running = (overrides: Partial<SnapshotInput> = {}): SnapshotInput => ({
  now: NOW,
  stateDir: '/tmp/lab',
  lab: { value: { state: labStateOf(topology), status: labStatusOf(topology) }, error: null },
  prometheusUrl: 'http://127.0.0.1:19001',
  prometheusError: null,
  ledger: { value: { active: [], history: [] }, error: null },
  slos: { value: [slo('b', 0.5), slo('a', null), slo('c', -0.2)], error: null },
  charts: { value: charts, error: null },
  chartRangeSeconds: 300,
  runs: { value: [], error: null },
  ...overrides,
});

describe('the dashboard snapshot', () => {
  it('a healthy running lab: no problem, every part available, SLOs by remaining budget', () => {
    const snapshot = buildSnapshot(running());
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.lab).toMatchObject({ running: true, topology: 'full', unavailable: null });
    expect(snapshot.prometheus).toEqual({ url: 'http://127.0.0.1:19001', up: true, unavailable: null });
    expect(snapshot.map.unavailable).toBeNull();
    expect(snapshot.map.value!.nodes).toHaveLength(topology.components.length);
    expect(snapshot.slos.value.map((s) => s.name)).toEqual(['c', 'b', 'a']);
    expect(snapshot.charts).toEqual({ unavailable: null, value: charts });
    expect(snapshot.controls.available).toBe(true);
    expect(snapshot.generatedAt).toBe('2026-11-27T08:05:00.000Z');
  });

  it('an active partition: its links red on the map (from the ledger, before the proxy is asked again), a fault window open', () => {
    const links = partitionLinks(topology, 'dc-a', 'dc-b', false).map((l) => l.name);
    const record = faultRecord('f9', links, '2026-11-27T08:04:00Z');
    const snapshot = buildSnapshot(running({ ledger: { value: { active: [record], history: [] }, error: null } }));
    const faulted = snapshot.map.value!.edges.filter((e) => e.faulted);
    expect(links.every((l) => faulted.some((e) => e.links.includes(l)))).toBe(true);
    expect(snapshot.faults.value.active).toEqual([expect.objectContaining({ id: 'f9', kind: 'timeout', links })]);
    expect(snapshot.faults.value.windows).toEqual([expect.objectContaining({ id: 'f9', start: Date.parse('2026-11-27T08:04:00Z'), end: null })]);
  });

  it('a link the fault proxy reports faulted (a fault made outside the ledger) is red too', () => {
    const status = labStatusOf(topology, { faultedLinks: ['dc-a.gateway-1->dc-a.redis'] });
    const snapshot = buildSnapshot(running({ lab: { value: { state: labStateOf(topology), status }, error: null } }));
    expect(snapshot.map.value!.edges.find((e) => e.links.includes('dc-a.gateway-1->dc-a.redis'))).toMatchObject({ faulted: true, faults: [] });
  });

  it('components down and Prometheus unreachable: named in problems; the rest of the page still there', () => {
    const status = labStatusOf(topology, { down: ['shard0-1', 'prometheus'] });
    const snapshot = buildSnapshot(
      running({
        lab: { value: { state: labStateOf(topology), status }, error: null },
        prometheusError: 'Prometheus at http://127.0.0.1:19001 does not answer (fetch failed)',
        slos: { value: [slo('a', null)], error: 'no SLO data: Prometheus at http://127.0.0.1:19001 does not answer (fetch failed)' },
        charts: { value: null, error: 'Prometheus at http://127.0.0.1:19001 does not answer (fetch failed)' },
      }),
    );
    expect(snapshot.problems).toEqual([
      'shard0-1 (postgres) is not running: not running.',
      'prometheus (prometheus) is not running: not running.',
      'Prometheus at http://127.0.0.1:19001 does not answer (fetch failed)',
      'SLOs: no SLO data: Prometheus at http://127.0.0.1:19001 does not answer (fetch failed)',
    ]);
    expect(snapshot.prometheus.up).toBe(false);
    expect(snapshot.map.value!.nodes.find((n) => n.id === 'shard0-1')!.health).toBe('down');
    expect(snapshot.slos.value).toHaveLength(1);
    expect(snapshot.charts.unavailable).toContain('does not answer');
    expect(snapshot.charts.value.throughput).toEqual({ times: [], values: [] });
  });

  it('no lab in the state folder: says so and how to start one; no map, no controls, nothing throws', () => {
    const snapshot = buildSnapshot(
      running({
        lab: { value: { state: undefined, status: undefined }, error: null },
        prometheusUrl: null,
        prometheusError: 'This lab has no Prometheus.',
        slos: { value: [slo('a', null)], error: 'no SLO data: Prometheus is not available.' },
        charts: { value: null, error: 'This lab has no Prometheus.' },
      }),
    );
    expect(snapshot.lab).toMatchObject({ running: false, topology: null, unavailable: 'The lab is not running (start it with: faultline up).' });
    expect(snapshot.problems).toEqual(['The lab is not running (start it with: faultline up).']);
    expect(snapshot.map).toEqual({ unavailable: expect.stringContaining('No lab has been started'), value: null });
    expect(snapshot.prometheus.up).toBe(false);
    expect(snapshot.controls.available).toBe(false);
    expect(snapshot.slos.value.map((s) => s.alertState)).toEqual(['no-data']);
  });

  it('a lab that was stopped: its last topology drawn with everything down', () => {
    const snapshot = buildSnapshot(running({ lab: { value: { state: labStateOf(topology), status: labStatusOf(topology, { running: false }) }, error: null } }));
    expect(snapshot.lab.running).toBe(false);
    expect(snapshot.map.unavailable).toContain('not running');
    expect(new Set(snapshot.map.value!.nodes.map((n) => n.health))).toEqual(new Set(['down']));
  });

  it('an unreadable state file or ledger: the reason is shown, not thrown', () => {
    const snapshot = buildSnapshot(running({ lab: { value: null, error: 'Unexpected token } in JSON' }, ledger: { value: null, error: 'EACCES' } }));
    expect(snapshot.lab.unavailable).toBe("The lab's status could not be read: Unexpected token } in JSON");
    expect(snapshot.map.value).toBeNull();
    expect(snapshot.faults).toEqual({ unavailable: 'EACCES', value: { active: [], windows: [] } });
    expect(snapshot.problems).toContain('The fault ledger could not be read: EACCES');
  });
});

describe('SLO order', () => {
  it('least budget left first (overspent before low), no data last by name', () => {
    expect(sortSlos([slo('z', null), slo('a', 1), slo('m', -3), slo('b', 0.1), slo('c', null)]).map((s) => s.name)).toEqual(['m', 'b', 'a', 'c', 'z']);
  });
});
