import { z } from 'zod';

/**
 * What the appender believes about the stream, checked atomically with the append:
 * - `'any'`: no check (the append still lands after whatever is there, never beside it);
 * - `'no_stream'`: the stream has no events (the same as `0`);
 * - `'stream_exists'`: it has at least one;
 * - a number: its current version is exactly this (the version of its last event; 0 = empty).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export const expectedVersionSchema = z.union([
  z.enum(['any', 'no_stream', 'stream_exists']),
  z.number().int().min(0).max(2_147_483_647),
]);

/** Whether a stream at `currentVersion` meets the expectation (the store checks the same in SQL). */
export function isExpectedVersionMet(expected: ExpectedVersion, currentVersion: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return currentVersion === 0;
    case 'stream_exists':
      return currentVersion > 0;
    default:
      return currentVersion === expected;
  }
}

/**
 * Whether a conflict can be settled by appending again: the expectation does not pin a version, so a
 * concurrent append that took the next version leaves it just as true.
 */
export const isVersionAgnostic = (expected: ExpectedVersion): boolean => expected === 'any' || expected === 'stream_exists';
