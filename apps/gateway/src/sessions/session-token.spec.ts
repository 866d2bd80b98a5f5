import { describe, expect, it } from '@jest/globals';
import { SessionTokens } from './session-token.js';

const tokens = new SessionTokens('a-secret-of-at-least-thirty-two-chars');

describe('SessionTokens', () => {
  it('verifies a token it issued and gives back its claims', () => {
    const { token, claims } = tokens.issue('user-1', 60, 1_000_000);
    expect(tokens.verify(token, 1_000_000)).toEqual(claims);
    expect(claims).toMatchObject({ userId: 'user-1', expiresAt: 1_060 });
  });

  it('refuses a token once it has expired', () => {
    const { token } = tokens.issue('user-1', 60, 1_000_000);
    expect(tokens.verify(token, 1_060_000)).toBeUndefined();
  });

  it('refuses a token it accepted before, once it has expired', () => {
    const { token, claims } = tokens.issue('user-1', 60, 1_000_000);
    expect(tokens.verify(token, 1_000_000)).toEqual(claims);
    expect(tokens.verify(token, 1_060_000)).toBeUndefined();
  });

  it('refuses a token signed with another secret (another lab)', () => {
    const { token } = new SessionTokens('another-secret-of-thirty-two-characters').issue('user-1', 60);
    expect(tokens.verify(token)).toBeUndefined();
  });

  it('refuses claims changed after signing', () => {
    const { token } = tokens.issue('user-1', 60);
    const [version, body, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), userId: 'admin' })).toString('base64url');
    expect(tokens.verify(`${version}.${forged}.${signature}`)).toBeUndefined();
  });

  it.each(['', 'garbage', 'v1.a.b.c', 'v2.e30.sig'])('refuses a malformed token %p', (token) => {
    expect(tokens.verify(token)).toBeUndefined();
  });
});
