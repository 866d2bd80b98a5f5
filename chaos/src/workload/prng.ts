/**
 * mulberry32: a tiny 32-bit PRNG, plenty for choosing operations. Seeded, so `chaos run --seed N` replays the
 * same choices (which operation, which client, which of its users): the timing and the lab's answers differ
 * from run to run, the workload's intentions do not.
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An independent stream per client, derived from the run's seed (so adding a client does not shift the others). */
export const deriveSeed = (seed: number, stream: number): number => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;

/** A whole number in [0, n). */
export const randomInt = (random: Random, n: number): number => Math.min(n - 1, Math.floor(random() * n));
