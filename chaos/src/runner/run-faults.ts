import type { FaultService } from '../faults/fault-service.js';
import { isFaultNotFoundError } from '../faults/fault.errors.js';
import type { FaultRecord } from '../ledger/fault-record.js';
import type { ReportFault } from '../report/report.model.js';
import type { MappedFault } from './fault-mapping.js';

/** What RunFaults needs of the fault service. */
export type RunFaultService = Pick<FaultService, 'inject' | 'heal' | 'list'>;

/** How long a timed heal that failed waits before it tries again (default). */
export const HEAL_RETRY_MS = 3_000;

/**
 * The faults of one run: injected through the fault service (ledger first, owned by this process and tagged
 * with the run id, so that if this process is SIGKILLed the next faultline command heals them), healed on time
 * by a timer when they have a duration, and by `healAll` in the rollbacks and the runner's finally whatever
 * happened. Keeps when each was injected and healed, on the run's clock.
 *
 * A timed heal that fails is tried again every `healRetryMs` until it succeeds or `healAll` takes over: a
 * Postgres node killed while the failover monitor is down cannot start before the monitor is back, and
 * giving up at the first try left it down for the rest of the method.
 */
export class RunFaults {
  private readonly faults = new Map<string, { report: ReportFault; healing?: Promise<void> }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private healingAll = false;

  constructor(
    private readonly service: RunFaultService,
    private readonly runId: string,
    private readonly owner: string,
    /** Wall clock of the run's start: ledger times minus it are the history's clock. */
    private readonly startedAtWallMs: number,
    private readonly onError: (message: string) => void,
    private readonly healRetryMs = HEAL_RETRY_MS,
  ) {}

  /** Faults still active. */
  get active(): number {
    return [...this.faults.values()].filter((f) => f.report.healedAt === null).length;
  }

  get reports(): ReportFault[] {
    return [...this.faults.values()].map((f) => f.report).sort((a, b) => a.injectedAt - b.injectedAt);
  }

  async inject(fault: MappedFault, durationMs: number | undefined): Promise<ReportFault> {
    const record = await this.service.inject(fault.spec, {
      label: fault.label,
      target: fault.target,
      owned: { what: this.owner },
      run: this.runId,
      ...(durationMs !== undefined && { durationMs }),
    });
    const report: ReportFault = {
      id: record.id,
      kind: record.spec.kind,
      label: record.label,
      target: record.target,
      // From when the injection began, not when it was confirmed: a kill takes effect at once, but the runner
      // confirms it only once every process of the node is reaped (1–2 s later), which would flatter recovery.
      injectedAt: this.clockOf(record.createdAt),
      healedAt: null,
      injectedAtIso: record.createdAt,
      healedAtIso: null,
      shards: fault.shards ?? null,
    };
    this.faults.set(record.id, { report });
    if (durationMs !== undefined) this.healAfter(record.id, record.label, durationMs);
    return report;
  }

  private healAfter(id: string, label: string, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.heal(id).catch((error: unknown) => {
        if (this.healingAll) return; // healAll tries it again, and reports what fails
        this.onError(`could not heal ${id} (${label}) on time: ${(error as Error).message}; trying again in ${this.healRetryMs / 1000} s`);
        this.healAfter(id, label, this.healRetryMs);
      });
    }, ms);
    this.timers.add(timer);
  }

  /** Heals one fault (once: a second call waits for the first). A fault someone else healed already counts as healed. */
  heal(id: string): Promise<void> {
    const entry = this.faults.get(id);
    if (!entry) return Promise.resolve();
    if (entry.report.healedAt !== null) return Promise.resolve();
    entry.healing ??= (async () => {
      try {
        await this.service.heal(id, 'owner');
      } catch (error) {
        if (!isFaultNotFoundError(error)) {
          entry.healing = undefined;
          throw error;
        }
      }
      const now = new Date();
      entry.report = { ...entry.report, healedAt: this.clockOf(now.toISOString()), healedAtIso: now.toISOString() };
    })();
    return entry.healing;
  }

  /**
   * Heals every fault of this run still active — those this object knows and any other ledger entry tagged with
   * the run — each even if another fails; rejects with the first failure after trying all.
   */
  async healAll(): Promise<void> {
    this.healingAll = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const ours = this.service.list().filter((r: FaultRecord) => r.run === this.runId && !this.faults.has(r.id));
    for (const record of ours) this.faults.set(record.id, { report: { id: record.id, kind: record.spec.kind, label: record.label, target: record.target, injectedAt: this.clockOf(record.createdAt), healedAt: null, injectedAtIso: record.createdAt, healedAtIso: null, shards: null } });
    let first: unknown;
    for (const [id, entry] of this.faults) {
      if (entry.report.healedAt !== null) continue;
      try {
        await this.heal(id);
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  }

  private clockOf(iso: string): number {
    return Math.max(0, Date.parse(iso) - this.startedAtWallMs);
  }
}
