/**
 * What the page shows, as one JSON document: `GET /api/state` answers it and `/api/events` pushes it.
 * Every part can be unavailable on its own (the lab is down, Prometheus is down, a component is down):
 * the part says so in `unavailable` and the rest still shows. Fields are only ever added.
 */

export type Health = 'up' | 'down' | 'unknown';

export interface MapDataCenter {
  readonly id: string;
  readonly region: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface MapNode {
  readonly id: string;
  readonly kind: string;
  readonly dc: string | null;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly health: Health;
  /** Postgres nodes: `primary`, `secondary`, … as the failover monitor says now. */
  readonly role: string | null;
  readonly detail: string | null;
}

/** One line on the map: every proxied link between two components, both directions. */
export interface MapEdge {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly links: readonly string[];
  readonly kinds: readonly string[];
  readonly crossDc: boolean;
  readonly faulted: boolean;
  /** Ids of the active faults on any of its links. */
  readonly faults: readonly string[];
}

export interface TopologyMap {
  readonly width: number;
  readonly height: number;
  readonly dataCenters: readonly MapDataCenter[];
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
}

export interface ActiveFault {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly target: string;
  readonly links: readonly string[];
  readonly component: string | null;
  readonly injectedAt: string | null;
  readonly expiresAt: string | null;
  readonly run: string | null;
}

/** A fault's time on the charts (ms since the epoch); `end` null while it is active. */
export interface FaultWindow {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly start: number;
  readonly end: number | null;
}

export interface SloView {
  readonly name: string;
  readonly displayName: string;
  readonly service: string;
  readonly description: string;
  readonly target: number;
  readonly sli: number | null;
  readonly budgetRemaining: number | null;
  readonly burnRates: readonly { readonly window: string; readonly burnRate: number | null }[];
  readonly alerts: readonly { readonly severity: 'page' | 'ticket'; readonly longWindow: string; readonly shortWindow: string; readonly threshold: number; readonly firing: boolean }[];
  readonly timeToExhaustionSeconds: number | null;
  readonly alertState: 'ok' | 'ticket' | 'page' | 'no-data';
}

/** Times in seconds since the epoch (what uPlot takes); values null where there was no data. */
export interface ChartSeries {
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

export interface RunView {
  readonly id: string;
  readonly experiment: string;
  readonly title: string;
  readonly verdict: string;
  readonly startedAt: string;
  readonly durationSeconds: number | null;
  /** Served by the dashboard: `/runs/<id>/report.html`; null when the run has no report.html. */
  readonly reportUrl: string | null;
}

export interface Part<T> {
  /** null when the part could be built; else, for people, why not. */
  readonly unavailable: string | null;
  readonly value: T;
}

export interface DashboardSnapshot {
  readonly generatedAt: string;
  readonly lab: {
    readonly running: boolean;
    readonly topology: string | null;
    readonly stateDir: string;
    readonly entrypoint: string | null;
    readonly unavailable: string | null;
  };
  readonly prometheus: { readonly url: string | null; readonly up: boolean; readonly unavailable: string | null };
  readonly map: Part<TopologyMap | null>;
  readonly faults: Part<{ readonly active: readonly ActiveFault[]; readonly windows: readonly FaultWindow[] }>;
  readonly slos: Part<readonly SloView[]>;
  readonly charts: Part<{
    readonly rangeSeconds: number;
    readonly throughput: ChartSeries;
    readonly errorRatio: ChartSeries;
    readonly latency: { readonly p50: ChartSeries; readonly p95: ChartSeries; readonly p99: ChartSeries };
  }>;
  readonly runs: Part<readonly RunView[]>;
  /** Workshop controls can act (a lab runs); the page still needs the admin token. */
  readonly controls: { readonly available: boolean };
  /** Everything that is unavailable or down, one line each, for the page's banner. */
  readonly problems: readonly string[];
}
