import type { ToxicPlan } from './toxic-plan.js';

/** Toxiproxy's `slicer` on the answers: small segments with a pause between them (a congested path). */
export const slicerToxics: ToxicPlan<'slicer'> = (spec) => [
  { type: 'slicer', stream: 'downstream', attributes: { average_size: spec.averageSize, size_variation: spec.sizeVariation, delay: spec.delayUs } },
];
