import { describe, expect, it } from '@jest/globals';
import { isInvalidJobIdError } from './job.errors.js';
import { jobIdFor } from './job-id.js';

const refusal = (kind: string, entityId: string): unknown => {
  try {
    return jobIdFor(kind, entityId);
  } catch (error) {
    return error;
  }
};

describe('jobIdFor', () => {
  it('joins the kind and the entity id with "-"', () => {
    expect(jobIdFor('thumbnail', '0b7e3c1a-9f7e-4c1e-8d5a-2f3b4c5d6e7f')).toBe('thumbnail-0b7e3c1a-9f7e-4c1e-8d5a-2f3b4c5d6e7f');
  });

  it.each([
    ['a colon (BullMQ 6 refuses it)', 'welcome', 'a:b'],
    ['a space', 'welcome', 'a b'],
    ['more than 128 characters', 'welcome', 'x'.repeat(130)],
    ['an empty kind (and "-5" is an integer to BullMQ)', '', '5'],
    ['an empty entity id', 'welcome', ''],
  ])('refuses an id with %s', (_, kind, entityId) => {
    expect(isInvalidJobIdError(refusal(kind, entityId))).toBe(true);
  });
});
