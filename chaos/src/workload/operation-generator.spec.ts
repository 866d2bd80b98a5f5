import { describe, expect, it } from '@jest/globals';
import { OPERATION_KINDS, type OperationKind } from '../history/operation.js';
import { createOperationGenerator, type OperationMix } from './operation-generator.js';
import { mulberry32 } from './prng.js';

const counts = (mix: OperationMix, seed: number, n: number) => {
  const next = createOperationGenerator(mix, mulberry32(seed));
  const seen = Object.fromEntries(OPERATION_KINDS.map((f) => [f, 0])) as Record<OperationKind, number>;
  for (let i = 0; i < n; i++) seen[next()]++;
  return seen;
};

describe('createOperationGenerator', () => {
  it('chooses operations in proportion to the mix, never one weighted 0', () => {
    const seen = counts({ register: 1, login: 0, update: 4, read: 4, upload: 1 }, 3, 20_000);
    expect(seen.login).toBe(0);
    expect(seen.update / 20_000).toBeCloseTo(0.4, 1);
    expect(seen.read / 20_000).toBeCloseTo(0.4, 1);
    expect(seen.register / 20_000).toBeCloseTo(0.1, 1);
    expect(seen.upload / 20_000).toBeCloseTo(0.1, 1);
    expect(seen.fetch).toBe(0);
  });

  it('weighs a kind left out of the mix 0', () => {
    const seen = counts({ read: 1, fetch: 1 }, 4, 2_000);
    expect(seen.read + seen.fetch).toBe(2_000);
    expect(seen.fetch / 2_000).toBeCloseTo(0.5, 1);
  });

  it('makes the same choices for the same seed', () => {
    const mix = { register: 1, login: 2, update: 2, read: 6, upload: 1 };
    const run = (seed: number) => {
      const next = createOperationGenerator(mix, mulberry32(seed));
      return Array.from({ length: 50 }, () => next());
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('refuses a mix without any weight', () => {
    expect(() => createOperationGenerator({ register: 0, login: 0, update: 0, read: 0, upload: 0 }, mulberry32(1))).toThrow(RangeError);
  });
});
