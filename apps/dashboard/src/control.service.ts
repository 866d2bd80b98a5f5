import { FaultService, isFaultNotFoundError, isFaultTargetError, latencyFault, partitionFault, type FaultRecord, type FaultRequest } from '#chaos';
import { isLabNotRunningError, type LabPaths } from '#libs/lab';
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

  /** Heals faults whose time is up or whose injector died, as every faultline command does first: the dashboard's own timed faults end on time this way. */
  async healDue(): Promise<FaultRecord[]> {
    try {
      return await this.faults.healOrphans();
    } catch {
      // Another command healing the same fault at the same moment, or the lab going away: the next round tries again.
      return [];
    }
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
