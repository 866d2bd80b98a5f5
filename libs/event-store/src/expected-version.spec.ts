import { describe, expect, it } from '@jest/globals';
import { expectedVersionSchema, isExpectedVersionMet, isVersionAgnostic, type ExpectedVersion } from './expected-version.js';

describe('expected versions', () => {
  it.each<[ExpectedVersion, number, boolean]>([
    ['any', 0, true],
    ['any', 7, true],
    ['no_stream', 0, true],
    ['no_stream', 1, false],
    ['stream_exists', 0, false],
    ['stream_exists', 3, true],
    [0, 0, true],
    [0, 1, false],
    [4, 4, true],
    [4, 5, false],
    [4, 3, false],
  ])('%s against a stream at %i → %s', (expected, current, met) => {
    expect(isExpectedVersionMet(expected, current)).toBe(met);
  });

  it('only the expectations that pin no version can be retried after a lost race', () => {
    expect(['any', 'no_stream', 'stream_exists', 0, 3].filter((e) => isVersionAgnostic(e as ExpectedVersion))).toEqual(['any', 'stream_exists']);
  });

  it('accepts the three names and non-negative integers only', () => {
    for (const ok of ['any', 'no_stream', 'stream_exists', 0, 12]) expect(expectedVersionSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['none', -1, 1.5, '3', null, Number.NaN, 2 ** 31]) expect(expectedVersionSchema.safeParse(bad).success).toBe(false);
  });
});
