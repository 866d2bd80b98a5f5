import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { WorkGate } from './work-gate.js';

/** scrypt's cost parameters: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * 2^14 × 8 × 128 bytes = 16 MiB: the interactive-login setting of the scrypt paper (Percival, 2009).
 * Measured on the 2-core lab machine: 81 ms of CPU per hash (2^15: 188 ms). A chaos workload of 40 ops/s with
 * a fifth of them registrations and logins asks for 8 hashes a second: at 2^15 that alone is 1.5 cores, and
 * the user services fell behind their callers' deadlines (timeouts, retries hashing again, circuits open).
 * OWASP's 2^17 (128 MiB) would make a burst of logins a memory problem too. Hashes are self-describing, so
 * ones stored at another cost still verify.
 */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { N: 2 ** 14, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse to run hashes stored with absurd costs (a corrupted or hostile row must not eat the memory). */
const MAX_N = 2 ** 20;
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

const memoryFor = ({ N, r, p }: ScryptParameters): number => 128 * N * r * p;

function derive(password: string, salt: Buffer, keyLength: number, parameters: ScryptParameters): Promise<Buffer> {
  // Node refuses above `maxmem` (32 MiB by default), exactly our default cost: give it headroom.
  const options: ScryptOptions = { ...parameters, maxmem: 2 * memoryFor(parameters) + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

interface ParsedHash {
  readonly parameters: ScryptParameters;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parse(encoded: string): ParsedHash | undefined {
  const match = FORMAT.exec(encoded);
  if (!match) return undefined;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  const key = Buffer.from(match[5]!, 'base64');
  if (key.length < 16) return undefined;
  return { parameters: { N, r, p }, salt: Buffer.from(match[4]!, 'base64'), key };
}

/**
 * Password hashes with scrypt (node:crypto, async: the work runs on libuv's thread pool, not the event
 * loop), stored self-describing as `scrypt$N$r$p$saltB64$hashB64` so the cost can be raised later without
 * invalidating older hashes.
 *
 * At most one derivation per core runs at a time (a WorkGate); the others wait, and one whose signal aborts
 * (its caller's deadline passed) is dropped before it costs anything. Without that, a burst of logins on a
 * saturated machine made every derivation slower and every caller time out.
 */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;
  private readonly gate: WorkGate;

  constructor(
    private readonly parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS,
    concurrency = availableParallelism(),
  ) {
    this.gate = new WorkGate(concurrency);
  }

  /** Rejects with the signal's reason, having derived nothing, if the signal aborts while the hash waits its turn. */
  async hash(password: string, signal?: AbortSignal): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.gate.run(() => derive(password, salt, KEY_BYTES, this.parameters), signal);
    const { N, r, p } = this.parameters;
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /**
   * Whether `password` matches `encoded`, compared in constant time. With `undefined` (no such user) it
   * still derives a key — against a dummy hash of the same cost — and answers false, so the response time
   * does not tell unknown addresses from wrong passwords. Rejects with the signal's reason if it aborts
   * while the derivation waits its turn.
   */
  async verify(password: string, encoded: string | undefined, signal?: AbortSignal): Promise<boolean> {
    const parsed = parse(encoded ?? (await this.dummyHash()));
    if (!parsed) {
      // A malformed stored hash: spend the same time anyway, then refuse.
      await this.verify(password, undefined, signal);
      return false;
    }
    const candidate = await this.gate.run(() => derive(password, parsed.salt, parsed.key.length, parsed.parameters), signal);
    return timingSafeEqual(candidate, parsed.key) && encoded !== undefined;
  }

  /** A hash of a random password at this hasher's cost, made once. */
  private dummyHash(): Promise<string> {
    return (this.dummy ??= this.hash(randomBytes(16).toString('base64')));
  }
}
