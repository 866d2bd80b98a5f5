import { describe, expect, it } from '@jest/globals';
import { bigintColumnTransformer, parsePosition, POSITION_TRANSACTION_FACTOR, transactionIdOf } from './global-position.js';

describe('global positions', () => {
  it('parses what the driver returns, refusing what it may have rounded', () => {
    expect(parsePosition('9007199254740993')).toBe(9007199254740993n);
    expect(parsePosition(42)).toBe(42n);
    expect(parsePosition(7n)).toBe(7n);
    expect(() => parsePosition(2 ** 60)).toThrow(/rounded/);
    expect(() => parsePosition('-1')).toThrow(RangeError);
    expect(() => parsePosition('1e3')).toThrow(RangeError);
  });

  it('names the transaction that appended an event', () => {
    expect(transactionIdOf(1234n * POSITION_TRANSACTION_FACTOR + 1n)).toBe(1234n);
    expect(transactionIdOf(1234n * POSITION_TRANSACTION_FACTOR + 65_535n)).toBe(1234n);
  });

  it('maps bigint columns to text and back', () => {
    expect(bigintColumnTransformer.to(5n)).toBe('5');
    expect(bigintColumnTransformer.from('5')).toBe(5n);
    expect(bigintColumnTransformer.from(null)).toBeNull();
  });
});
