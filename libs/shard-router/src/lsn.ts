/**
 * PostgreSQL WAL positions (`pg_lsn`), as the server prints them: two hexadecimal numbers, the high and
 * low 32 bits, separated by a slash (`16/B374D848`). They compare as 64-bit unsigned integers.
 */
const LSN_PATTERN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

export const isLsn = (value: unknown): value is string => typeof value === 'string' && LSN_PATTERN.test(value);

/** The LSN as a 64-bit integer; throws a TypeError for anything that is not an LSN. */
export function parseLsn(lsn: string): bigint {
  const match = typeof lsn === 'string' ? LSN_PATTERN.exec(lsn) : null;
  if (!match) throw new TypeError(`not a PostgreSQL LSN: ${JSON.stringify(lsn)} (expected e.g. "0/16B3748")`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The server's own spelling of a 64-bit WAL position (upper-case hex, no leading zeros). */
export function formatLsn(position: bigint): string {
  if (position < 0n || position > 0xffff_ffff_ffff_ffffn) throw new RangeError('an LSN is an unsigned 64-bit integer');
  return `${(position >> 32n).toString(16).toUpperCase()}/${(position & 0xffff_ffffn).toString(16).toUpperCase()}`;
}

/** -1, 0 or 1 as `a` is before, at or after `b`. */
export function compareLsn(a: string, b: string): -1 | 0 | 1 {
  const x = parseLsn(a);
  const y = parseLsn(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Bytes of WAL from `b` to `a` (negative when `a` is before `b`), as `pg_wal_lsn_diff(a, b)`. */
export const lsnDiff = (a: string, b: string): bigint => parseLsn(a) - parseLsn(b);

/** True when a node that has replayed `replayed` (null: not a standby, or nothing replayed) has seen `target`. */
export const hasReplayed = (replayed: string | null | undefined, target: string): boolean =>
  replayed !== null && replayed !== undefined && parseLsn(replayed) >= parseLsn(target);
