import { randomBytes } from 'node:crypto';
import { FaultProxyClient, FaultProxyRequestError } from '#libs/fault-proxy';
import {
  isAlive,
  isLabNotRunningError,
  killComponent,
  readStartTime,
  restartComponent,
  runningLabState,
  signalComponent,
  stopComponent,
  type LabPaths,
  type LabProgress,
} from '#libs/lab';
import type { Topology } from '#libs/topology';
import { FaultLedger } from '../ledger/fault-ledger.js';
import type { FaultOwner, FaultRecord } from '../ledger/fault-record.js';
import { orphanReason } from '../ledger/orphans.js';
import { setReplicationQuorum } from './async-replication.js';
import { FaultNotFoundError } from './fault.errors.js';
import { isLinkFault, type FaultSpec, type LinkFaultSpec } from './fault-spec.js';
import { toxicName, toxicsFor } from './toxics/registry.js';

export interface InjectOptions {
  readonly label: string;
  readonly target: string;
  /** Undone by whoever looks after this long (the injector normally does it itself, on time). */
  readonly durationMs?: number;
  /** This process undoes it (on its normal end or Ctrl-C); if it dies first, the next command does. */
  readonly owned?: { readonly what: string };
  readonly run?: string;
}

export type HealReason = 'owner' | 'user' | 'expired' | 'orphaned';

const newFaultId = (): string => `f${randomBytes(4).toString('hex').slice(0, 6)}`;

/** A 404 means the thing to undo is gone already (the toxic removed, the proxy deleted): undone. */
const ignoreMissing = async (work: () => Promise<unknown>): Promise<void> => {
  try {
    await work();
  } catch (error) {
    if (error instanceof FaultProxyRequestError && error.status === 404) return;
    throw error;
  }
};

/**
 * Injects and undoes faults on a running lab, through the fault ledger: a fault is recorded before it is
 * applied and removed from the ledger only once it was undone. Link faults go through the Toxiproxy API
 * (faultline's proxy or a real Toxiproxy alike); process faults through the lab runner.
 */
export class FaultService {
  readonly ledger: FaultLedger;
  private readonly paths: LabPaths;
  private readonly faultlineBin: string;
  private readonly progress: LabProgress | undefined;
  private proxyClient: FaultProxyClient | undefined;

  constructor(options: { readonly paths: LabPaths; readonly faultlineBin: string; readonly progress?: LabProgress; readonly proxy?: FaultProxyClient }) {
    this.paths = options.paths;
    this.faultlineBin = options.faultlineBin;
    this.progress = options.progress;
    this.proxyClient = options.proxy;
    this.ledger = new FaultLedger(options.paths.root);
  }

  /** The running lab's topology (LabNotRunningError when none runs). */
  topology(): Topology {
    return runningLabState(this.paths).topology;
  }

  list(): FaultRecord[] {
    return this.ledger.list();
  }

  async inject(spec: FaultSpec, options: InjectOptions): Promise<FaultRecord> {
    runningLabState(this.paths);
    const now = Date.now();
    const owner: FaultOwner | undefined = options.owned ? { pid: process.pid, startTime: readStartTime(process.pid) ?? 0, what: options.owned.what } : undefined;
    const pending: FaultRecord = {
      id: newFaultId(),
      spec,
      label: options.label,
      target: options.target,
      createdAt: new Date(now).toISOString(),
      ...(options.durationMs !== undefined && { expiresAt: new Date(now + options.durationMs).toISOString() }),
      ...(owner && { owner }),
      ...(options.run !== undefined && { run: options.run }),
    };
    // On disk first: from here on, whatever happens to this process, the next command can undo it.
    this.ledger.put(pending);
    try {
      await this.apply(pending);
    } catch (error) {
      await this.undo(pending).catch(() => undefined);
      this.ledger.remove(pending.id);
      throw error;
    }
    const active: FaultRecord = { ...pending, appliedAt: new Date().toISOString() };
    this.ledger.put(active);
    this.ledger.appendHistory({ id: active.id, event: 'injected', at: active.appliedAt!, kind: spec.kind, label: active.label, target: active.target, ...(active.run !== undefined && { run: active.run }) });
    return active;
  }

  async heal(id: string, reason: HealReason = 'user'): Promise<FaultRecord> {
    const record = this.ledger.get(id);
    if (!record) throw new FaultNotFoundError(id, this.ledger.list().map((r) => r.id));
    try {
      await this.undo(record);
    } catch (error) {
      // A lab that was stopped took its faults with it: toxics, paused and killed processes are gone.
      if (!isLabNotRunningError(error)) throw error;
    }
    this.ledger.remove(record.id);
    this.ledger.appendHistory({ id: record.id, event: 'healed', at: new Date().toISOString(), kind: record.spec.kind, label: record.label, target: record.target, reason, ...(record.run !== undefined && { run: record.run }) });
    return record;
  }

  /**
   * Drops a fault from the ledger without undoing it, for when what it did is going away anyway (the lab
   * is being stopped: its proxies and processes with it).
   */
  forget(id: string, reason: string): void {
    const record = this.ledger.get(id);
    if (!record) return;
    this.ledger.remove(id);
    this.ledger.appendHistory({ id, event: 'healed', at: new Date().toISOString(), kind: record.spec.kind, label: record.label, target: record.target, reason, ...(record.run !== undefined && { run: record.run }) });
  }

  /** Heals every fault in the ledger (`fault heal --all`), each even if another fails; rejects with the first failure after trying all. */
  async healAll(reason: HealReason = 'user'): Promise<FaultRecord[]> {
    return this.healEach(this.ledger.list(), () => reason);
  }

  /**
   * Undoes what nobody else will: faults whose time is up or whose owner died (a runner SIGKILLed
   * mid-experiment). Every faultline command that touches the lab calls this first.
   */
  async healOrphans(now = Date.now()): Promise<FaultRecord[]> {
    const due = this.ledger.list().filter((record) => orphanReason(record, now, isAlive) !== undefined);
    return this.healEach(due, (record) => orphanReason(record, now, isAlive)!);
  }

  private async healEach(records: readonly FaultRecord[], reasonOf: (record: FaultRecord) => HealReason): Promise<FaultRecord[]> {
    const healed: FaultRecord[] = [];
    let firstError: unknown;
    for (const record of records) {
      try {
        healed.push(await this.heal(record.id, reasonOf(record)));
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
    return healed;
  }

  private proxy(): FaultProxyClient {
    this.proxyClient ??= new FaultProxyClient(runningLabState(this.paths).faultProxyUrl);
    return this.proxyClient;
  }

  private async apply(record: FaultRecord): Promise<void> {
    const { spec } = record;
    if (isLinkFault(spec)) return this.applyLinkFault(record.id, spec);
    switch (spec.kind) {
      case 'kill':
        await killComponent(this.paths, spec.component);
        return;
      case 'pause':
        signalComponent(this.paths, spec.component, 'SIGSTOP');
        return;
      case 'restart':
        // Down and up again before it counts as applied; if this process dies in between, the next
        // command's undo starts it.
        await stopComponent(this.paths, spec.component);
        await this.start(spec.component);
        return;
      case 'async-replication':
        await setReplicationQuorum(this.topology(), spec, false);
        return;
    }
  }

  private start(component: string): Promise<{ restarted: boolean }> {
    return restartComponent(this.paths, component, { faultlineBin: this.faultlineBin, ...(this.progress && { progress: this.progress }) });
  }

  private async applyLinkFault(id: string, spec: LinkFaultSpec): Promise<void> {
    const proxy = this.proxy();
    if (spec.kind === 'link-down') {
      await Promise.all(spec.links.map((link) => proxy.setEnabled(link, false)));
      return;
    }
    const toxics = toxicsFor(id, spec);
    await Promise.all(spec.links.map(async (link) => {
      for (const toxic of toxics) await proxy.addToxic(link, toxic);
    }));
  }

  /** Idempotent: undoing what is undone already (or was never applied) succeeds. */
  private async undo(record: FaultRecord): Promise<void> {
    const { spec } = record;
    if (isLinkFault(spec)) {
      const proxy = this.proxy();
      if (spec.kind === 'link-down') {
        await Promise.all(spec.links.map((link) => ignoreMissing(() => proxy.setEnabled(link, true))));
        return;
      }
      const streams = [...new Set(toxicsFor(record.id, spec).map((toxic) => toxic.stream ?? 'downstream'))];
      await Promise.all(spec.links.flatMap((link) => streams.map((stream) => ignoreMissing(() => proxy.removeToxic(link, toxicName(record.id, stream))))));
      return;
    }
    switch (spec.kind) {
      case 'pause':
        signalComponent(this.paths, spec.component, 'SIGCONT');
        return;
      case 'kill':
      case 'restart':
        // Starts it if it is down; a component that runs (a restart that completed) is left alone.
        await this.start(spec.component);
        return;
      case 'async-replication':
        await setReplicationQuorum(this.topology(), spec, true);
        return;
    }
  }
}
