import { describe, expect, it } from '@jest/globals';
import { normalizeServerArgs, parseHostFlag, parsePortFlag, parseSeedFlag, ServerFlagError } from './server-flags.js';

describe('normalizeServerArgs', () => {
  it('rewrites the real binary\'s single-dash flags for commander', () => {
    expect(normalizeServerArgs(['-host', '0.0.0.0', '-port=0', '-config', 'p.json', '-proxy-metrics', '-seed', '-3'])).toEqual([
      '--host',
      '0.0.0.0',
      '--port=0',
      '--config',
      'p.json',
      '--proxy-metrics',
      '--seed',
      '-3',
    ]);
  });

  it('leaves double-dash flags, short flags and unknown words alone', () => {
    expect(normalizeServerArgs(['--host', 'h', '-h', '-x', 'word', '--', '-port'])).toEqual(['--host', 'h', '-h', '-x', 'word', '--', '-port']);
  });

  it('reads Go boolean values', () => {
    expect(normalizeServerArgs(['-runtime-metrics=true', '-proxy-metrics=false'])).toEqual(['--runtime-metrics']);
    expect(() => normalizeServerArgs(['-proxy-metrics=yes'])).toThrow(ServerFlagError);
  });
});

describe('flag values', () => {
  it('takes ports 0-65535 and says what to type otherwise', () => {
    expect(parsePortFlag('0')).toBe(0);
    expect(parsePortFlag('8474')).toBe(8474);
    for (const bad of ['65536', '-1', 'http', '', '84.74']) expect(() => parsePortFlag(bad)).toThrow(/e\.g\. -port 8474/);
  });

  it('takes host names and addresses', () => {
    expect(parseHostFlag('127.0.0.1')).toBe('127.0.0.1');
    expect(parseHostFlag('[::1]')).toBe('::1');
    expect(parseHostFlag('lab-host')).toBe('lab-host');
    for (const bad of ['', 'a b', 'http://x', 'x:80']) expect(() => parseHostFlag(bad)).toThrow(/-host 127\.0\.0\.1/);
  });

  it('takes integer seeds', () => {
    expect(parseSeedFlag('-42')).toBe(-42);
    expect(() => parseSeedFlag('1.5')).toThrow(/-seed 42/);
  });
});
