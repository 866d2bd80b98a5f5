import { describe, expect, it } from '@jest/globals';
import { ToxiproxyApiError } from './api-error.js';
import { decodePopulateBody, decodeProxyBody, requireNewProxyFields, unaddressableNameReason } from './proxy-input.js';

describe('decodeProxyBody', () => {
  it('keeps known fields, ignores the rest, treats null as absent', () => {
    expect(decodeProxyBody('{"name": "a", "Listen": "127.0.0.1:0", "upstream": null, "enabled": false, "toxics": []}')).toEqual({
      name: 'a',
      listen: '127.0.0.1:0',
      enabled: false,
    });
    expect(decodeProxyBody('null')).toEqual({});
  });

  it('reports the first wrong type after reading the whole object', () => {
    expect(() => decodeProxyBody('{"name": 1, "enabled": "x"}')).toThrow('bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string');
  });
});

describe('decodePopulateBody', () => {
  it('takes an array (null is empty) and refuses anything else', () => {
    expect(decodePopulateBody('[{"name": "a", "upstream": "u"}]')).toEqual([{ name: 'a', upstream: 'u' }]);
    expect(decodePopulateBody('null')).toEqual([]);
    expect(() => decodePopulateBody('{}')).toThrow(ToxiproxyApiError);
    expect(() => decodePopulateBody('[1]')).toThrow(/cannot unmarshal number/);
  });
});

describe('requireNewProxyFields', () => {
  it('wants a name, then an upstream, then an addressable name', () => {
    expect(() => requireNewProxyFields({})).toThrow('missing required field: name');
    expect(() => requireNewProxyFields({ name: 'a' }, ' at proxy 3')).toThrow('missing required field: upstream at proxy 3');
    expect(() => requireNewProxyFields({ name: 'a/b', upstream: 'u' })).toThrow(/^invalid proxy name: /);
    expect(() => requireNewProxyFields({ name: 'a->b', upstream: 'u' })).not.toThrow();
  });

  it('knows which names a URL cannot address', () => {
    expect(unaddressableNameReason('x/y')).toBeDefined();
    expect(unaddressableNameReason('..')).toBeDefined();
    expect(unaddressableNameReason('...')).toBeUndefined();
    expect(unaddressableNameReason('a b?#%')).toBeUndefined();
  });
});
