import type { ActiveFault } from './snapshot.model.js';

/** A label value in Prometheus's text format: backslash, double quote and newline escaped. */
export const escapeLabelValue = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * The fault ledger as gauges: `faultline_fault_active{fault_id,kind,target} 1` per active fault and
 * `faultline_faults_active` (how many), so Prometheus keeps when each fault was on, beside what it did.
 */
export function renderFaultMetrics(active: readonly Pick<ActiveFault, 'id' | 'kind' | 'target'>[]): string {
  const lines = [
    '# HELP faultline_fault_active 1 while the fault is in the lab\'s fault ledger (injected, not healed yet).',
    '# TYPE faultline_fault_active gauge',
    ...active.map((r) => `faultline_fault_active{fault_id="${escapeLabelValue(r.id)}",kind="${escapeLabelValue(r.kind)}",target="${escapeLabelValue(r.target)}"} 1`),
    '# HELP faultline_faults_active Faults in the lab\'s fault ledger now.',
    '# TYPE faultline_faults_active gauge',
    `faultline_faults_active ${active.length}`,
  ];
  return lines.join('\n') + '\n';
}
