import type { LabPaths } from '#libs/lab';
import { buildSnapshot, type Reading, type SnapshotInput } from './domain/build-snapshot.js';
import { activeFaultOf } from './domain/fault-windows.js';
import type { DashboardSnapshot, RunView } from './domain/snapshot.model.js';
import { ChartSource } from './sources/chart-source.js';
import { LabSource, prometheusUrlOf, sloTimeScaleOf, type LabReading } from './sources/lab-source.js';
import { LedgerSource } from './sources/ledger-source.js';
import { PrometheusClient } from './sources/prometheus-client.js';
import { RunsSource } from './sources/runs-source.js';
import { SloSource } from './sources/slo-source.js';

export interface SnapshotServiceOptions {
  readonly paths: LabPaths;
  readonly faultlineBin: string;
  /** How often a full snapshot is built and pushed (the page updates at least this often). */
  readonly intervalMs?: number;
  /** How often the fault ledger is looked at: a change pushes a snapshot at once. */
  readonly ledgerPollMs?: number;
  /** The SLO folder (default: the shipped SLOs). */
  readonly sloDir?: string;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const ok = <T>(value: T): Reading<T> => ({ value, error: null });
const failed = (error: unknown): Reading<never> => ({ value: null, error: messageOf(error) });

/**
 * Builds the dashboard's snapshot from the lab's state and status, the fault ledger, Prometheus and the
 * run reports, about once a second while a page watches (and at once when the fault ledger changes);
 * subscribers (the SSE stream) get each new one. With nobody watching it builds one only when asked:
 * a full build checks every component of the lab, and doing that every second for no one kept the
 * lab's Postgres servers forking backends. Each source failing only blanks its own part.
 */
export class SnapshotService {
  readonly runs: RunsSource;
  readonly lab: LabSource;
  private readonly ledger: LedgerSource;
  private readonly slos: SloSource;
  private readonly charts = new ChartSource({ app: 'gateway', rateWindow: '10s', rangeSeconds: 300, stepSeconds: 2 });
  private readonly intervalMs: number;
  private readonly ledgerPollMs: number;
  private readonly listeners = new Set<(snapshot: DashboardSnapshot) => void>();
  private last: Omit<SnapshotInput, 'now' | 'ledger'> | undefined;
  private current: DashboardSnapshot | undefined;
  private building: Promise<DashboardSnapshot> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ledgerTimer: NodeJS.Timeout | undefined;
  private ledgerPrint = '';
  private publishedAt = 0;
  private builtAt = 0;
  private stopped = false;

  constructor(private readonly options: SnapshotServiceOptions) {
    this.lab = new LabSource(options.paths, options.faultlineBin);
    this.ledger = new LedgerSource(options.paths.root);
    this.runs = new RunsSource(options.paths.root);
    this.slos = new SloSource(options.sloDir);
    this.intervalMs = options.intervalMs ?? 1_000;
    this.ledgerPollMs = options.ledgerPollMs ?? 200;
  }

  /** The latest snapshot; a new one when the last full build is older than the interval (nobody was watching). */
  async snapshot(): Promise<DashboardSnapshot> {
    if (this.current && Date.now() - this.builtAt < this.intervalMs) return this.current;
    return this.refresh();
  }

  /** The active faults as the ledger has them now, without building a snapshot (for `/metrics`). */
  activeFaults(): DashboardSnapshot['faults']['value']['active'] {
    return this.ledger.active().map(activeFaultOf);
  }

  subscribe(listener: (snapshot: DashboardSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    const loop = async (): Promise<void> => {
      const started = Date.now();
      if (this.listeners.size > 0) await this.refresh();
      if (!this.stopped) this.timer = setTimeout(() => void loop(), Math.max(0, this.intervalMs - (Date.now() - started)));
    };
    void loop();
    this.ledgerPrint = this.ledger.fingerprint();
    this.ledgerTimer = setInterval(() => {
      const print = this.ledger.fingerprint();
      const changed = print !== this.ledgerPrint;
      this.ledgerPrint = print;
      // A ledger change is pushed at once; and while a slow full build (a loaded machine, a component that
      // times out) is still running, the page still gets the last reading with the fresh ledger every interval.
      if (!this.last || !(changed || Date.now() - this.publishedAt >= this.intervalMs)) return;
      try {
        this.publish(this.withLedger(this.last));
      } catch (error) {
        this.publish(this.fallback(error));
      }
    }, this.ledgerPollMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.ledgerTimer);
    this.listeners.clear();
  }

  /** Builds a full snapshot now (one at a time: callers during a build share it) and pushes it. */
  refresh(): Promise<DashboardSnapshot> {
    this.building ??= this.build()
      .catch((error: unknown) => this.fallback(error))
      .then((snapshot) => {
        this.publish(snapshot);
        return snapshot;
      })
      .finally(() => {
        this.building = undefined;
      });
    return this.building;
  }

  /** A snapshot that says what went wrong, when building one failed in a way no source caught: the page never goes blank. */
  private fallback(error: unknown): DashboardSnapshot {
    return buildSnapshot({ ...this.emptyInput(error), now: Date.now(), ledger: failed(error) });
  }

  private emptyInput(error: unknown): Omit<SnapshotInput, 'now' | 'ledger'> {
    return {
      stateDir: this.options.paths.root,
      lab: failed(error),
      prometheusUrl: null,
      prometheusError: null,
      slos: { value: null, error: messageOf(error) },
      charts: failed(error),
      chartRangeSeconds: this.charts.rangeSeconds,
      runs: failed(error),
    };
  }

  private publish(snapshot: DashboardSnapshot): void {
    this.current = snapshot;
    this.publishedAt = Date.now();
    for (const listener of this.listeners) listener(snapshot);
  }

  private withLedger(rest: Omit<SnapshotInput, 'now' | 'ledger'>): DashboardSnapshot {
    let ledger: SnapshotInput['ledger'];
    try {
      ledger = ok(this.ledger.read());
    } catch (error) {
      ledger = failed(error);
    }
    return buildSnapshot({ ...rest, now: Date.now(), ledger });
  }

  private async build(): Promise<DashboardSnapshot> {
    const now = Date.now();
    this.builtAt = now;
    let lab: Reading<LabReading>;
    try {
      lab = ok(await this.lab.read());
    } catch (error) {
      lab = failed(error);
    }
    const topology = lab.value?.state?.topology;
    const url = topology ? prometheusUrlOf(topology) : undefined;
    const prometheus = url && lab.value?.status?.running ? new PrometheusClient(url) : undefined;
    const timeScale = topology ? sloTimeScaleOf(topology) : 1;

    const noPrometheus = url ? 'Prometheus runs with the lab, which is not running.' : 'This lab has no Prometheus.';
    const [slos, charts] = await Promise.all([
      this.slos.read(prometheus, timeScale).then(
        (r) => ({ value: r.views, error: r.error, prometheusError: r.error }),
        (error: unknown) => ({ ...failed(error), prometheusError: null }),
      ),
      prometheus ? this.charts.read(prometheus, now).then(ok, failed) : Promise.resolve(failed(noPrometheus)),
    ]);
    let runs: Reading<readonly RunView[]>;
    try {
      runs = ok(this.runs.list());
    } catch (error) {
      runs = failed(error);
    }
    this.last = {
      stateDir: this.options.paths.root,
      lab,
      prometheusUrl: url ?? null,
      prometheusError: prometheus ? (charts.error ?? slos.prometheusError) : noPrometheus,
      slos: { value: slos.value, error: slos.error },
      charts,
      chartRangeSeconds: this.charts.rangeSeconds,
      runs,
    };
    return this.withLedger(this.last);
  }
}
