import type { Tolerance } from '../experiments/index.js';

/** Inclusive bounds, as the experiment format defines them. */
export const withinTolerance = (value: number, tolerance: Tolerance): boolean =>
  (tolerance.min === undefined || value >= tolerance.min) && (tolerance.max === undefined || value <= tolerance.max);

export const describeTolerance = (tolerance: Tolerance): string =>
  tolerance.min !== undefined && tolerance.max !== undefined ? `between ${tolerance.min} and ${tolerance.max}` : tolerance.min !== undefined ? `≥ ${tolerance.min}` : `≤ ${tolerance.max}`;
