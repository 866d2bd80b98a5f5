import { describe, expect, it } from '@jest/globals';
import { userIdField } from '#libs/contracts';
import { userIdFor } from './user-id.js';

describe('userIdFor', () => {
  it('given the same request id and address, then the same id (a retried registration reuses its user)', () => {
    expect(userIdFor('req-1', 'ada@example.org')).toBe(userIdFor('req-1', ' ADA@example.org'));
  });

  it('given another request id or another address, then another id (clients choosing the same key do not collide)', () => {
    const id = userIdFor('req-1', 'ada@example.org');
    expect(userIdFor('req-2', 'ada@example.org')).not.toBe(id);
    expect(userIdFor('req-1', 'eve@example.org')).not.toBe(id);
  });

  it('is a version 8 RFC 9562 UUID that the contracts accept', () => {
    const id = userIdFor('req-1', 'ada@example.org');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(userIdField.parse(id)).toBe(id);
  });
});
