import { describe, expect, it } from '@jest/globals';
import { FaultlineError } from '#libs/errors';
import { ExpectedVersionConflictError, IdempotencyKeyReuseError, isExpectedVersionConflictError, isIdempotencyKeyReuseError } from './event-store.errors.js';

describe('event store errors', () => {
  it('carry their code, their facts and their cause, and the guards tell them apart', () => {
    const cause = new Error('duplicate key');
    const conflict = new ExpectedVersionConflictError('user-1', 3, 5, { cause });
    expect(conflict).toBeInstanceOf(FaultlineError);
    expect(conflict).toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', name: 'ExpectedVersionConflictError', streamId: 'user-1', expected: 3, actual: 5, cause });
    expect(conflict.message).toBe('stream "user-1": expected version 3, but it is at 5');
    expect(isExpectedVersionConflictError(conflict)).toBe(true);
    expect(isIdempotencyKeyReuseError(conflict)).toBe(false);
    expect(isExpectedVersionConflictError({ code: 'EXPECTED_VERSION_CONFLICT' })).toBe(false);
    expect(isIdempotencyKeyReuseError(new IdempotencyKeyReuseError('k', 'a', 'b'))).toBe(true);
  });
});
