import type { HistoryRecorder } from '../history/history.recorder.js';
import type { OperationKind } from '../history/operation.js';
import { createOperationGenerator, type OperationMix } from './operation-generator.js';
import type { Outcome } from './outcome.js';
import { deriveSeed, mulberry32 } from './prng.js';
import { WorkloadClient } from './workload-client.js';
import { WorkloadHttp } from './workload-http.js';

export interface WorkloadOptions {
  readonly entrypoint: string;
  readonly clients: number;
  readonly ratePerSecond: number;
  readonly mix: OperationMix;
  readonly seed: number;
  readonly recorder: HistoryRecorder;
  readonly runTag: string;
  /** The regions clients claim (`X-Client-Region`), spread round-robin: with two DCs, half the clients are sent to each. */
  readonly regions?: readonly string[];
  readonly shardOf?: (userId: string) => number | undefined;
  /** Per operation; past it the operation is info (default 5 s). */
  readonly timeoutMs?: number;
}

/** Live counters for the progress line (the history is the record; these are only for watching). */
export interface WorkloadStats {
  readonly started: number;
  readonly completed: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly inFlight: number;
  /** Ticks of the open-loop schedule that found every client busy: the system was slower than the rate asked. */
  readonly missedTicks: number;
}

export const DEFAULT_OPERATION_TIMEOUT_MS = 5_000;
/** How often the scheduler wakes to issue the operations that came due (timers are not precise below that anyway). */
const SCHEDULER_TICK_MS = 10;

/**
 * The experiment's workload: `clients` Jepsen clients fed by an open-loop schedule at `ratePerSecond`. The
 * schedule does not wait for answers — each due operation goes to an idle client — so a slow system shows up
 * as missed ticks and latency, not as a politely lower request rate. Each client first registers a user and
 * logs in (recorded like every other operation), then takes operations by the mix, with its own seeded PRNG.
 */
export class Workload {
  private readonly clients: WorkloadClient[];
  private readonly generators: (() => OperationKind)[];
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private counts = { started: 0, completed: 0, ok: 0, fail: 0, info: 0, missedTicks: 0 };

  constructor(private readonly options: WorkloadOptions) {
    const http = new WorkloadHttp(options.entrypoint, options.timeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS);
    const regions = options.regions ?? [];
    this.clients = Array.from({ length: options.clients }, (_, index) => {
      const region = regions.length > 0 ? regions[index % regions.length] : undefined;
      return new WorkloadClient({
        index,
        clients: options.clients,
        http,
        recorder: options.recorder,
        random: mulberry32(deriveSeed(options.seed, 2 * index)),
        runTag: options.runTag,
        ...(region !== undefined && { region }),
        ...(options.shardOf && { shardOf: options.shardOf }),
        onComplete: (_f, outcome) => this.count(outcome),
      });
    });
    this.generators = this.clients.map((_, index) => createOperationGenerator(options.mix, mulberry32(deriveSeed(options.seed, 2 * index + 1))));
  }

  get active(): boolean {
    return this.timer !== undefined;
  }

  stats(): WorkloadStats {
    return { ...this.counts, inFlight: this.running.size };
  }

  /** Registers and logs in one user per client (all at once), then starts the schedule. */
  async start(): Promise<void> {
    if (this.timer) return;
    await Promise.all(this.clients.map(async (client) => {
      await this.track(client.run('register'));
      await this.track(client.run('login'));
    }));
    const startedAt = performance.now();
    let issued = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - startedAt) * this.options.ratePerSecond) / 1000);
      for (; issued < due; issued++) this.issue();
    }, SCHEDULER_TICK_MS);
  }

  /** Stops issuing and waits for the operations in flight (each ends by its timeout at the latest). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.running]);
  }

  /** The next idle client, round-robin, gets the next operation of its own generator. */
  private issue(): void {
    for (let tried = 0; tried < this.clients.length; tried++) {
      const index = (this.next + tried) % this.clients.length;
      const client = this.clients[index]!;
      if (!client.idle) continue;
      this.next = (index + 1) % this.clients.length;
      void this.track(client.run(this.generators[index]!()));
      return;
    }
    this.counts.missedTicks++;
  }

  private track(operation: Promise<void>): Promise<void> {
    this.counts.started++;
    const tracked = operation.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return tracked;
  }

  private count(outcome: Outcome): void {
    this.counts.completed++;
    this.counts[outcome.type]++;
  }
}
