import { describe, expect, it } from '@jest/globals';
import { ExpectedVersionConflictError, IdempotencyKeyReuseError } from '#libs/event-store';
import { EmailTakenError } from '../domain/email-reservation.errors.js';
import { ForbiddenError, RegistrationAbandonedError, UserNotFoundError } from '../domain/user.errors.js';
import { InvalidCredentialsError } from './invalid-credentials.error.js';
import { translateUserError } from './user-error.translator.js';

describe('translateUserError', () => {
  it.each([
    [new UserNotFoundError('u'), 'NOT_FOUND'],
    [new ForbiddenError('u', 'a'), 'FORBIDDEN'],
    [new EmailTakenError('a@b.c', { userId: 'holder', reservedAt: '' }), 'EMAIL_TAKEN'],
    [new RegistrationAbandonedError('u'), 'EMAIL_TAKEN'],
    [new InvalidCredentialsError(), 'INVALID_CREDENTIALS'],
    [new ExpectedVersionConflictError('user-u', 1, 2), 'CONFLICT'],
    [new IdempotencyKeyReuseError('k', 's1', 's2'), 'CONFLICT'],
  ])('given %s, then %s, with a message that names nobody', (error, code) => {
    const refusal = translateUserError(error);
    expect(refusal?.code).toBe(code);
    expect(refusal?.message).not.toMatch(/holder|user-u|\bu\b/);
  });

  it('given anything else, then undefined (an internal error)', () => {
    expect(translateUserError(new Error('connection refused'))).toBeUndefined();
    expect(translateUserError('?')).toBeUndefined();
  });
});
