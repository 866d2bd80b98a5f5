import { FaultService, isFaultNotFoundError, isFaultTargetError, latencyFault, orphanReason, partitionFault, type FaultRecord, type FaultRequest } from '#chaos';
import { isAlive, isLabNotRunningError, type LabPaths } from '#libs/lab';
import { DashboardRequestError } from './dashboard.errors.js';
import type { HealRequest, LatencyRequest, PartitionRequest } from './domain/control-request.js';

/**
 * The workshop controls: the same fault service and ledger as `faultline fault`, so a fault injected from
 * the page is listed, healed and cleaned up after exactly like one from the command line.
 */
export class ControlService {
  private readonly faults: FaultService;

  constructor(options: { readonly paths: LabPaths; readonly faultlineBin: string }) {
    this.faults = new FaultService(options);
  }

  latency(request: LatencyRequest): Promise<FaultRecord> {
    return this.inject('body.link', () => latencyFault(this.faults.topology(), request.link, request.ms, request.jitterMs), request.durationSeconds);
  }

  partition(request: PartitionRequest): Promise<FaultRecord> {
    return this.inject('body.a', () => partitionFault(this.faults.topology(), request.a, request.b, request.oneWay), request.durationSeconds);
  }

  async heal(request: HealRequest): Promise<FaultRecord[]> {
    try {
      return request.all ? await this.faults.healAll('user') : [await this.faults.heal(request.id!, 'user')];
    } catch (error) {
      if (isFaultNotFoundError(error)) throw new DashboardRequestError(404, 'body.id', error.message);
      throw error;
    }
  }

  /**
   * Heals the timed faults injected from the page (they have no owner process) once their time is up. A fault
   * with an owner is left alone, even when its owner died: the next faultline command heals it and says so.
   * (Healing those here too made the dashboard restart a SIGKILLed node while holding the lab's lock, so the
   * user's next command — even `down` — was refused.)
   */
  async healDue(now = Date.now()): Promise<FaultRecord[]> {
    const healed: FaultRecord[] = [];
    for (const record of this.faults.list()) {
      if (record.owner !== undefined) continue;
      const reason = orphanReason(record, now, isAlive);
      if (reason === undefined) continue;
      try {
        healed.push(await this.faults.heal(record.id, reason));
      } catch {
        // Another command healing the same fault at the same moment, or the lab going away: the next round tries again.
      }
    }
    return healed;
  }

  private async inject(field: string, request: () => FaultRequest, durationSeconds: number | undefined): Promise<FaultRecord> {
    let fault: FaultRequest;
    try {
      fault = request();
    } catch (error) {
      if (isLabNotRunningError(error)) throw new DashboardRequestError(409, 'lab', 'the lab is not running: start it with faultline up');
      if (isFaultTargetError(error)) throw new DashboardRequestError(400, field, error.message);
      throw error;
    }
    return this.faults.inject(fault.spec, { label: fault.label, target: fault.target, ...(durationSeconds !== undefined && { durationMs: durationSeconds * 1000 }) });
  }
}
