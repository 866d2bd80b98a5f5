import { describe, expect, it } from '@jest/globals';
import { resolveRequestId } from './request-id.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
  it('keeps a plain incoming id', () => {
    expect(resolveRequestId('lb-7f3a:42')).toBe('lb-7f3a:42');
  });

  it('takes the first of repeated headers', () => {
    expect(resolveRequestId(['first-id', 'second-id'])).toBe('first-id');
  });

  it('generates a UUID when there is none', () => {
    expect(resolveRequestId(undefined)).toMatch(uuid);
    expect(resolveRequestId(undefined)).not.toBe(resolveRequestId(undefined));
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['with spaces', 'a b'],
    ['with a line break (log and header injection)', 'abc\r\nset-cookie: x'],
    ['with quotes', '"abc"'],
  ])('replaces an id that is %s', (_, header) => {
    expect(resolveRequestId(header)).toMatch(uuid);
  });
});
