import type { ToxicSpec } from '#libs/fault-proxy';
import type { LinkFaultSpec } from '../fault-spec.js';
import { bandwidthToxics } from './bandwidth.toxic.js';
import { latencyToxics } from './latency.toxic.js';
import { resetToxics } from './reset.toxic.js';
import { slicerToxics } from './slicer.toxic.js';
import { timeoutToxics } from './timeout.toxic.js';

/**
 * The toxics of a link fault, named after the fault (`fl-<faultId>-<stream>`) so that an undo — by any
 * process, later — removes exactly these and never a toxic someone else added.
 */
export function toxicsFor(faultId: string, spec: LinkFaultSpec): ToxicSpec[] {
  const plan = ((): readonly ToxicSpec[] => {
    switch (spec.kind) {
      case 'latency':
        return latencyToxics(spec);
      case 'bandwidth':
        return bandwidthToxics(spec);
      case 'timeout':
        return timeoutToxics(spec);
      case 'reset':
        return resetToxics(spec);
      case 'slicer':
        return slicerToxics(spec);
      case 'link-down':
        return [];
    }
  })();
  return plan.map((toxic) => ({ ...toxic, name: toxicName(faultId, toxic.stream ?? 'downstream'), toxicity: 1 }));
}

export const toxicName = (faultId: string, stream: string): string => `fl-${faultId}-${stream}`;
