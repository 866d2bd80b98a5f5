import type { Experiment, MethodStep, Probe, RollbackStep } from '../experiments/index.js';
import { UNSUPPORTED_SLI_REASON } from '../workload/sli.js';

/** Fault types the runner cannot inject yet (none today: every type of the schema is mapped by fault-mapping.ts). */
const UNSUPPORTED_FAULTS: Readonly<Record<string, string>> = {};

/**
 * What in an experiment this runner cannot do yet, one line each, found before the run starts so that an
 * experiment never fails halfway for a missing feature. A measurement-only probe of an unsupported SLI is
 * not listed: it is recorded as "not supported yet" in the report and the run goes on.
 */
export function unsupportedParts(experiment: Experiment): string[] {
  const parts: string[] = [];
  const probe = (p: Probe, path: string, needsValue: boolean) => {
    if (p.type !== 'sli') return;
    const why = UNSUPPORTED_SLI_REASON[p.sli];
    if (why && (needsValue || p.tolerance)) parts.push(`${path}: ${why}`);
  };
  const step = (s: MethodStep | RollbackStep, path: string) => {
    if (s.type === 'fault' && UNSUPPORTED_FAULTS[s.fault.type]) parts.push(`${path}: ${UNSUPPORTED_FAULTS[s.fault.type]}`);
    if (s.type === 'wait' && s.until) probe(s.until, `${path}.until`, true);
    if (s.type === 'probe') probe(s.probe, `${path}.probe`, false);
  };
  experiment.steadyStateHypothesis?.probes.forEach((p, i) => probe(p, `steadyStateHypothesis.probes.${i}`, true));
  experiment.method.forEach((s, i) => step(s, `method.${i}`));
  experiment.rollbacks.forEach((s, i) => step(s, `rollbacks.${i}`));
  experiment.stopConditions.forEach((c, i) => {
    const why = UNSUPPORTED_SLI_REASON[c.sli];
    if (why) parts.push(`stopConditions.${i}: ${why}`);
  });
  return parts;
}
