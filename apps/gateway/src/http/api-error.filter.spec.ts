import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { translateError } from './api-error.filter.js';
import { CircuitOpenError, RateLimitedError, RequestValidationError, ServiceRefusedError, ServiceUnavailableError, UnauthenticatedError } from './api.errors.js';

describe('translateError', () => {
  it.each([
    ['INVALID_CREDENTIALS', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['EMAIL_TAKEN', 409],
    ['CONFLICT', 409],
    ['VALIDATION_FAILED', 400],
    ['UNAVAILABLE', 503],
    ['DEADLINE_EXCEEDED', 503],
    ['INTERNAL', 500],
  ] as const)('answers a service refusal %s with %i', (code, status) => {
    expect(translateError(new ServiceRefusedError(code, 'no')).status).toBe(status);
  });

  it('keeps the offending fields of a validation error', () => {
    const translated = translateError(new RequestValidationError([{ field: 'email', message: 'must be an email address' }]));
    expect(translated).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: [{ field: 'email' }] });
  });

  it('tells when to come back after 429 and 503', () => {
    expect(translateError(new RateLimitedError(1))).toMatchObject({ status: 429, retryAfterSeconds: 1 });
    expect(translateError(new ServiceUnavailableError('down', 3))).toMatchObject({ status: 503, retryAfterSeconds: 3 });
  });

  it('answers an open circuit with 503 and its own code, CIRCUIT_OPEN', () => {
    expect(translateError(new CircuitOpenError('user', 2))).toMatchObject({ status: 503, code: 'CIRCUIT_OPEN', retryAfterSeconds: 2 });
    expect(translateError(new ServiceUnavailableError('down', 1))).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('answers 401 without a session and 404 for unknown routes', () => {
    expect(translateError(new UnauthenticatedError('who?')).status).toBe(401);
    expect(translateError(new NotFoundException()).status).toBe(404);
  });

  it('hides the message of an unexpected error', () => {
    expect(translateError(new Error('password=hunter2'))).toEqual({ status: 500, code: 'INTERNAL', message: 'internal error' });
  });
});
