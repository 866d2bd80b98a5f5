import type { Topology } from '#libs/topology';
import type { LabPaths } from './lab-paths.js';
import { labSecret } from './lab-secret.js';

/** The lab secret that lets the dashboard's workshop controls inject and heal faults. */
export const DASHBOARD_ADMIN_TOKEN_SECRET = 'dashboard-admin-token';

export interface LabObservability {
  /** The dashboard's page and the token its workshop controls need; null for a topology without a dashboard. */
  readonly dashboard: { readonly url: string; readonly adminToken: string } | null;
  readonly prometheus: { readonly url: string } | null;
}

/** Where the lab's Prometheus answers, if the topology has one. */
export function prometheusUrlOf(topology: Topology): string | null {
  const prometheus = topology.components.find((c) => c.kind === 'prometheus');
  return prometheus ? `http://${prometheus.host}:${prometheus.port}` : null;
}

/**
 * The URLs `faultline up` prints for people: the dashboard (with its admin token, made on first use and kept
 * in the state dir, so it survives `down`/`up`) and Prometheus. A lab started before they existed has neither.
 */
export function labObservability(topology: Topology, paths: LabPaths): LabObservability {
  const dashboard = topology.components.find((c) => c.kind === 'dashboard');
  const prometheusUrl = prometheusUrlOf(topology);
  return {
    dashboard: dashboard ? { url: `http://${dashboard.host}:${dashboard.port}/`, adminToken: labSecret(paths, DASHBOARD_ADMIN_TOKEN_SECRET) } : null,
    prometheus: prometheusUrl ? { url: prometheusUrl } : null,
  };
}
