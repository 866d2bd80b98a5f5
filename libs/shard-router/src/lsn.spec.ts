import { describe, expect, it } from '@jest/globals';
import { compareLsn, formatLsn, hasReplayed, isLsn, lsnDiff, parseLsn } from './lsn.js';

describe('LSNs', () => {
  it('parses the server\'s notation as high/low 32 bits', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(parseLsn('FFFFFFFF/FFFFFFFF')).toBe(0xffff_ffff_ffff_ffffn);
    expect(parseLsn('a/b')).toBe((10n << 32n) + 11n);
  });

  it.each(['', '0', '0/', '/0', '0/0/0', '123456789/0', 'G/0', ' 0/0', '0/0 ', '-1/0'])('rejects %p', (text) => {
    expect(isLsn(text)).toBe(false);
    expect(() => parseLsn(text)).toThrow(TypeError);
  });

  it('compares numerically, not as text', () => {
    // As strings "9/0" > "10/0" and "0/9" > "0/10"; as positions the other way round.
    expect(compareLsn('9/0', '10/0')).toBe(-1);
    expect(compareLsn('0/9', '0/10')).toBe(-1);
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBe(1);
    expect(compareLsn('0/3000060', '0/3000060')).toBe(0);
    expect(compareLsn('0/3000060', '0/03000060')).toBe(0);
  });

  it('diffs like pg_wal_lsn_diff', () => {
    expect(lsnDiff('1/0', '0/FFFFFFFF')).toBe(1n);
    expect(lsnDiff('0/100', '0/200')).toBe(-256n);
  });

  it('formats back to what the server prints', () => {
    for (const text of ['0/0', '0/16B3748', '16/B374D848', 'FFFFFFFF/FFFFFFFF']) expect(formatLsn(parseLsn(text))).toBe(text);
    expect(() => formatLsn(-1n)).toThrow(RangeError);
  });

  it('hasReplayed: at or after the target; never for a node that is not a standby (null)', () => {
    expect(hasReplayed('0/3000060', '0/3000060')).toBe(true);
    expect(hasReplayed('0/3000061', '0/3000060')).toBe(true);
    expect(hasReplayed('0/300005F', '0/3000060')).toBe(false);
    expect(hasReplayed(null, '0/0')).toBe(false);
    expect(hasReplayed(undefined, '0/0')).toBe(false);
  });
});
