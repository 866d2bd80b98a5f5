/**
 * A repeatable random source for `-seed` (mulberry32): the same seed and the same sequence of
 * connections and changes give the same toxicity rolls and jitter.
 */
export function seededRandom(seed: number): () => number {
  let state = Number(BigInt.asUintN(32, BigInt(Math.trunc(seed))));
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
