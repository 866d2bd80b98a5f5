import { labStatus, readLabState, type LabPaths, type LabState, type LabStatus } from '#libs/lab';
import type { Topology } from '#libs/topology';

export interface LabReading {
  readonly state: LabState | undefined;
  readonly status: LabStatus | undefined;
}

/** The lab in a state folder: its state file (topology, processes) and its live status (health, Postgres roles, faulted links). */
export class LabSource {
  constructor(
    readonly paths: LabPaths,
    private readonly faultlineBin: string,
  ) {}

  state(): LabState | undefined {
    return readLabState(this.paths);
  }

  async read(): Promise<LabReading> {
    const state = this.state();
    if (!state) return { state, status: undefined };
    return { state, status: await labStatus({ paths: this.paths, faultlineBin: this.faultlineBin, recheckUnhealthy: false }) };
  }
}

/** Prometheus's base URL in this topology; undefined for a topology without it. */
export function prometheusUrlOf(topology: Topology): string | undefined {
  const prometheus = topology.components.find((c) => c.kind === 'prometheus');
  return prometheus ? `http://${prometheus.host}:${prometheus.port}` : undefined;
}

/** The SLO time scale the lab runs with (1: real time); a state file from before SLOs existed has none. */
export const sloTimeScaleOf = (topology: Topology): number => (topology as { slo?: { timeScale?: number } }).slo?.timeScale ?? 1;
