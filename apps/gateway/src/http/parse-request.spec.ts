import { describe, expect, it } from '@jest/globals';
import { registerUserRequestSchema } from '#libs/contracts';
import { isRequestValidationError, type RequestValidationError } from './api.errors.js';
import { parseRequest } from './parse-request.js';

const body = registerUserRequestSchema.omit({ requestId: true }).strict();

const fieldsOf = (input: unknown) => {
  try {
    parseRequest(body, input);
  } catch (error) {
    if (isRequestValidationError(error)) return (error as RequestValidationError).fields.map((issue) => issue.field).sort();
    throw error;
  }
  return [];
};

describe('parseRequest', () => {
  it('returns the parsed body, normalized', () => {
    expect(parseRequest(body, { email: ' Ada@Example.ORG ', password: 'correct horse', name: 'Ada' })).toEqual({
      email: 'ada@example.org',
      password: 'correct horse',
      name: 'Ada',
    });
  });

  it('names every offending field at once', () => {
    expect(fieldsOf({ email: 'not-an-email', password: 'short' })).toEqual(['email', 'name', 'password']);
  });

  it('names an unknown field, so a typo is not silently ignored', () => {
    expect(fieldsOf({ email: 'a@b.org', password: 'long enough', name: 'A', nmae: 'x' })).toEqual(['nmae']);
  });

  it('reports a missing body as every required field', () => {
    expect(fieldsOf(undefined)).toEqual(['email', 'name', 'password']);
  });
});
