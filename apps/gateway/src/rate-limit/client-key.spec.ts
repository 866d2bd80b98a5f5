import { describe, expect, it } from '@jest/globals';
import { clientKeyOf } from './client-key.js';

describe('clientKeyOf', () => {
  it('counts a request with a session against its token, not its address', () => {
    const a = clientKeyOf({ headers: {}, ip: '127.0.0.1' }, 'token-a');
    const b = clientKeyOf({ headers: {}, ip: '127.0.0.1' }, 'token-b');
    expect(a).toMatch(/^token:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('token-a');
  });

  it('uses the address the load balancer appended, not the ones the client sent', () => {
    expect(clientKeyOf({ headers: { 'x-forwarded-for': '6.6.6.6, 127.0.0.9' }, ip: '127.0.0.1' }, undefined)).toBe('ip:127.0.0.9');
  });

  it('falls back to the socket address without X-Forwarded-For', () => {
    expect(clientKeyOf({ headers: {}, ip: '127.0.0.5' }, undefined)).toBe('ip:127.0.0.5');
  });
});
