import { describe, expect, it } from '@jest/globals';
import { AddressError, formatBoundAddress, parsePort, parseUpstream, resolveListenTarget, sameListenAddress, splitHostPort } from './address.js';

describe('splitHostPort', () => {
  it.each([
    ['127.0.0.1:80', '127.0.0.1', '80'],
    [':8080', '', '8080'],
    ['[::1]:80', '::1', '80'],
    ['localhost:', 'localhost', ''],
  ])('splits %j', (address, host, port) => {
    expect(splitHostPort(address)).toEqual({ host, port });
  });

  it.each([
    ['localhost', 'address localhost: missing port in address'],
    ['::1:80', 'address ::1:80: too many colons in address'],
    ['[::1]', 'address [::1]: missing port in address'],
    ['[::1', "address [::1: missing ']' in address"],
  ])('refuses %j like Go', (address, message) => {
    expect(() => splitHostPort(address)).toThrow(new AddressError(message));
  });
});

describe('parsePort', () => {
  it('takes 0-65535, empty as 0', () => {
    expect(parsePort('')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    expect(() => parsePort('65536')).toThrow('invalid port');
    expect(() => parsePort('http')).toThrow('unknown port');
  });
});

describe('resolveListenTarget', () => {
  it('binds localhost to 127.0.0.1 and wildcards to every interface', async () => {
    expect(await resolveListenTarget('localhost:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(await resolveListenTarget('')).toEqual({ host: undefined, port: 0 });
    expect(await resolveListenTarget('0.0.0.0:9')).toEqual({ host: undefined, port: 9 });
    expect(await resolveListenTarget('[::1]:9')).toEqual({ host: '::1', port: 9 });
  });
});

describe('formatBoundAddress', () => {
  it('prints addresses like Go', () => {
    expect(formatBoundAddress({ address: '127.0.0.1', family: 'IPv4', port: 8474 })).toBe('127.0.0.1:8474');
    expect(formatBoundAddress({ address: '::', family: 'IPv6', port: 1 })).toBe('[::]:1');
  });
});

describe('parseUpstream', () => {
  it('needs a port; an empty host is this machine', () => {
    expect(parseUpstream(':5432')).toEqual({ host: 'localhost', port: 5432 });
    expect(() => parseUpstream('db')).toThrow(AddressError);
    expect(() => parseUpstream('db:0')).toThrow(AddressError);
  });
});

describe('sameListenAddress', () => {
  it('treats localhost:N as the 127.0.0.1:N a proxy reports, but not port 0', () => {
    expect(sameListenAddress('127.0.0.1:5000', '127.0.0.1:5000')).toBe(true);
    expect(sameListenAddress('127.0.0.1:5000', 'localhost:5000')).toBe(true);
    expect(sameListenAddress('127.0.0.1:5000', '127.0.0.1:0')).toBe(false);
    expect(sameListenAddress('127.0.0.1:5000', 'localhost:0')).toBe(false);
  });
});
