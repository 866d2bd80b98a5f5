import { OPERATION_KINDS, type OperationKind } from '../history/operation.js';
import type { Random } from './prng.js';

/** Relative weights; a kind left out weighs 0. */
export type OperationMix = Readonly<Partial<Record<OperationKind, number>>>;

/**
 * Chooses the next operation with probability proportional to its weight in the experiment's mix. The
 * cumulative table is built once; operations with weight 0 are never chosen.
 */
export function createOperationGenerator(mix: OperationMix, random: Random): () => OperationKind {
  const weighted = OPERATION_KINDS.filter((f) => (mix[f] ?? 0) > 0).map((f) => ({ f, weight: mix[f]! }));
  const total = weighted.reduce((sum, w) => sum + w.weight, 0);
  if (total <= 0) throw new RangeError('the workload mix gives no operation a weight');
  return () => {
    let point = random() * total;
    for (const { f, weight } of weighted) {
      point -= weight;
      if (point < 0) return f;
    }
    return weighted[weighted.length - 1]!.f;
  };
}
