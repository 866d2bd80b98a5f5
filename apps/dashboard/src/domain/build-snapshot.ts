import type { FaultHistoryLine, FaultRecord } from '#chaos';
import type { LabState, LabStatus } from '#libs/lab';
import { activeFaultOf, faultedLinksOf, faultWindows } from './fault-windows.js';
import type { DashboardSnapshot, RunView, SloView } from './snapshot.model.js';
import { layoutTopology, type ComponentState } from './topology-map.js';

/** A part read from somewhere: its value, or why it could not be read. */
export type Reading<T> = { readonly value: T; readonly error: null } | { readonly value: null; readonly error: string };

export type ChartsValue = DashboardSnapshot['charts']['value'];

export interface SnapshotInput {
  readonly now: number;
  readonly stateDir: string;
  /** The lab's state file (undefined: no lab was ever started here) and its live status. */
  readonly lab: Reading<{ readonly state: LabState | undefined; readonly status: LabStatus | undefined }>;
  readonly prometheusUrl: string | null;
  /** Prometheus answered the last query. */
  readonly prometheusError: string | null;
  readonly ledger: Reading<{ readonly active: readonly FaultRecord[]; readonly history: readonly FaultHistoryLine[] }>;
  /** Every SLO (with no data when Prometheus did not answer, then `error` says why); null if none could be loaded. */
  readonly slos: { readonly value: readonly SloView[] | null; readonly error: string | null };
  readonly charts: Reading<ChartsValue>;
  readonly chartRangeSeconds: number;
  readonly runs: Reading<readonly RunView[]>;
}

const NOT_RUNNING = 'The lab is not running (start it with: faultline up).';

const emptyCharts = (rangeSeconds: number): ChartsValue => {
  const none = { times: [], values: [] };
  return { rangeSeconds, throughput: none, errorRatio: none, latency: { p50: none, p95: none, p99: none } };
};

/** SLOs with the least error budget left first; those without data last, by name. */
export const sortSlos = (slos: readonly SloView[]): SloView[] =>
  [...slos].sort((a, b) => {
    if (a.budgetRemaining === null || b.budgetRemaining === null) return a.budgetRemaining === b.budgetRemaining ? a.name.localeCompare(b.name) : a.budgetRemaining === null ? 1 : -1;
    return a.budgetRemaining - b.budgetRemaining || a.name.localeCompare(b.name);
  });

/**
 * The page's document from whatever could be read. Never throws for a missing part: each part carries its
 * own `unavailable` reason and `problems` lists them all for the page's banner.
 */
export function buildSnapshot(input: SnapshotInput): DashboardSnapshot {
  const problems: string[] = [];
  const { state, status } = input.lab.value ?? { state: undefined, status: undefined };
  const running = status?.running ?? false;
  const labUnavailable = input.lab.error !== null ? `The lab's status could not be read: ${input.lab.error}` : running ? null : NOT_RUNNING;
  if (labUnavailable) problems.push(labUnavailable);

  if (status && running) {
    for (const c of status.components) {
      if (!c.running) problems.push(`${c.id} (${c.kind}) is not running${c.detail ? `: ${c.detail}` : ''}.`);
      else if (!c.healthy) problems.push(`${c.id} (${c.kind}) is unhealthy${c.detail ? `: ${c.detail}` : ''}.`);
    }
  }
  const prometheusUnavailable = !running ? 'Prometheus runs with the lab, which is not running.' : input.prometheusError;
  if (running && input.prometheusError) problems.push(input.prometheusError);

  const ledger = input.ledger.value;
  if (input.ledger.error) problems.push(`The fault ledger could not be read: ${input.ledger.error}`);
  const since = input.now - input.chartRangeSeconds * 1000;
  const active = ledger?.active ?? [];

  let map: DashboardSnapshot['map'];
  const topology = state?.topology;
  if (topology) {
    const faultedLinks = faultedLinksOf(active);
    for (const link of status?.links ?? []) if (link.faulted && !faultedLinks.has(link.name)) faultedLinks.set(link.name, []);
    const components = new Map<string, ComponentState>((status?.components ?? []).map((c) => [c.id, { running: c.running, healthy: c.healthy, role: c.role, detail: c.detail }]));
    map = { unavailable: running ? null : 'The lab is not running: the map shows its last topology, every component down.', value: layoutTopology({ topology, components, faultedLinks }) };
  } else {
    map = { unavailable: input.lab.error ?? 'No lab has been started with this state folder: there is no topology to draw.', value: null };
  }

  if (input.slos.error && running) problems.push(`SLOs: ${input.slos.error}`);
  if (input.runs.error) problems.push(`Experiment runs: ${input.runs.error}`);

  return {
    generatedAt: new Date(input.now).toISOString(),
    lab: { running, topology: topology?.name ?? null, stateDir: input.stateDir, entrypoint: status?.entrypoint ?? null, unavailable: labUnavailable },
    prometheus: { url: input.prometheusUrl, up: running && input.prometheusError === null && input.prometheusUrl !== null, unavailable: prometheusUnavailable },
    map,
    faults: {
      unavailable: input.ledger.error,
      value: { active: active.map(activeFaultOf), windows: faultWindows(ledger?.history ?? [], active, since) },
    },
    slos: { unavailable: input.slos.error, value: sortSlos(input.slos.value ?? []) },
    charts: { unavailable: !running ? prometheusUnavailable : input.charts.error, value: input.charts.value ?? emptyCharts(input.chartRangeSeconds) },
    runs: { unavailable: input.runs.error, value: input.runs.value ?? [] },
    controls: { available: running },
    problems,
  };
}
