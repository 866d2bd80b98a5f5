import { describe, expect, it } from '@jest/globals';
import { DashboardRequestError } from '../dashboard.errors.js';
import { checkAdminToken, checkSameOrigin, hostnameOf, isLoopbackHost } from './request-guard.js';

const refusal = (work: () => void): { status: number; field: string } | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    if (!(error instanceof DashboardRequestError)) throw error;
    return { status: error.status, field: error.field };
  }
};

describe('the admin token', () => {
  const token = 'a'.repeat(64);
  it('accepts the token as a Bearer credential', () => {
    expect(refusal(() => checkAdminToken(`Bearer ${token}`, token))).toBeUndefined();
    expect(refusal(() => checkAdminToken(`bearer ${token} `, token))).toBeUndefined();
  });
  it('answers 401 naming the Authorization header when it is missing, malformed or wrong', () => {
    expect(refusal(() => checkAdminToken(undefined, token))).toEqual({ status: 401, field: 'Authorization' });
    expect(refusal(() => checkAdminToken(token, token))).toEqual({ status: 401, field: 'Authorization' });
    expect(refusal(() => checkAdminToken('Bearer ' + 'a'.repeat(63), token))).toEqual({ status: 401, field: 'Authorization' });
    expect(refusal(() => checkAdminToken('Bearer ', token))).toEqual({ status: 401, field: 'Authorization' });
  });
});

describe('same-origin check of state-changing requests', () => {
  const base = { host: '127.0.0.1:19002', fetchSite: undefined, allowRemote: false };
  it('accepts the page’s own origin, and clients that send no Origin (curl)', () => {
    expect(refusal(() => checkSameOrigin({ ...base, origin: 'http://127.0.0.1:19002', fetchSite: 'same-origin' }))).toBeUndefined();
    expect(refusal(() => checkSameOrigin({ ...base, origin: undefined }))).toBeUndefined();
    expect(refusal(() => checkSameOrigin({ ...base, host: 'localhost:19002', origin: 'http://localhost:19002' }))).toBeUndefined();
  });
  it('refuses another origin with 403 naming Origin', () => {
    expect(refusal(() => checkSameOrigin({ ...base, origin: 'http://evil.example' }))).toEqual({ status: 403, field: 'Origin' });
    expect(refusal(() => checkSameOrigin({ ...base, origin: 'http://127.0.0.1:19003' }))).toEqual({ status: 403, field: 'Origin' });
    expect(refusal(() => checkSameOrigin({ ...base, origin: 'null' }))).toEqual({ status: 403, field: 'Origin' });
  });
  it('refuses a cross-site fetch even without Origin', () => {
    expect(refusal(() => checkSameOrigin({ ...base, origin: undefined, fetchSite: 'cross-site' }))).toEqual({ status: 403, field: 'Sec-Fetch-Site' });
  });
  it('refuses a non-loopback Host (DNS rebinding: evil.example resolving to 127.0.0.1 is "same origin" with itself) unless remote access was allowed', () => {
    expect(refusal(() => checkSameOrigin({ ...base, host: 'evil.example:19002', origin: 'http://evil.example:19002' }))).toEqual({ status: 403, field: 'Host' });
    expect(refusal(() => checkSameOrigin({ ...base, allowRemote: true, host: 'lab.local:19002', origin: 'http://lab.local:19002' }))).toBeUndefined();
    expect(refusal(() => checkSameOrigin({ ...base, host: undefined, origin: undefined }))).toEqual({ status: 403, field: 'Host' });
  });
});

describe('loopback addresses', () => {
  it('knows loopback from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.5', '::', 'example.com', '127.0.0.1.example.com']) expect(isLoopbackHost(host)).toBe(false);
  });
  it('takes the host name out of a Host header', () => {
    expect(hostnameOf('127.0.0.1:19002')).toBe('127.0.0.1');
    expect(hostnameOf('[::1]:80')).toBe('::1');
    expect(hostnameOf('localhost')).toBe('localhost');
  });
});
