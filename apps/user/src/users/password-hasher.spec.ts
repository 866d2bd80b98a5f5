import { describe, expect, it } from '@jest/globals';
import { PasswordHasher } from './password-hasher.js';

// A cheap cost keeps the suite fast; the format and the comparison are what is tested here.
const hasher = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

describe('PasswordHasher', () => {
  it('writes a self-describing scrypt hash with a fresh salt each time', async () => {
    const [first, second] = [await hasher.hash('correct horse'), await hasher.hash('correct horse')];
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(second).not.toBe(first);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const encoded = await hasher.hash('correct horse');
    expect(await hasher.verify('correct horse', encoded)).toBe(true);
    expect(await hasher.verify('correct hors', encoded)).toBe(false);
    expect(await hasher.verify('', encoded)).toBe(false);
  });

  it('verifies with the cost stored in the hash, not its own', async () => {
    const encoded = await new PasswordHasher({ N: 2 ** 11, r: 4, p: 2 }).hash('pw-with-other-cost');
    expect(encoded.startsWith('scrypt$2048$4$2$')).toBe(true);
    expect(await hasher.verify('pw-with-other-cost', encoded)).toBe(true);
  });

  it('treats unicode passwords in either normal form as the same password', async () => {
    const encoded = await hasher.hash('caf\u00e9');
    expect(await hasher.verify('cafe\u0301', encoded)).toBe(true);
  });

  it('answers false for an unknown user, after doing the work of a real check', async () => {
    const real = await hasher.hash('pw');
    const timed = async (work: () => Promise<boolean>): Promise<[boolean, number]> => {
      const started = performance.now();
      const result = await work();
      return [result, performance.now() - started];
    };
    await hasher.verify('warm-up', undefined);
    const [unknown, unknownMs] = await timed(() => hasher.verify('pw', undefined));
    const [known] = await timed(() => hasher.verify('pw', real));
    expect(unknown).toBe(false);
    expect(known).toBe(true);
    // A skipped KDF would take microseconds; a real one at N=1024 takes a millisecond or more.
    expect(unknownMs).toBeGreaterThan(0.3);
  });

  it('refuses malformed or absurdly expensive stored hashes without throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$1000$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5', `scrypt$${2 ** 24}$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5`, 'bcrypt$2b$10$abc']) {
      expect(await hasher.verify('pw', bad)).toBe(false);
    }
  });
});

describe('PasswordHasher under load', () => {
  it('does not derive for a caller whose signal aborted while the hash waited its turn', async () => {
    // One derivation at a time: the second waits behind the first and is abandoned there.
    const single = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }, 1);
    const controller = new AbortController();
    const first = single.hash('first');
    const abandoned = single.hash('abandoned', controller.signal);
    const abandonedVerify = single.verify('abandoned', undefined, controller.signal);
    controller.abort(new Error('the caller left'));
    await expect(abandoned).rejects.toThrow('the caller left');
    await expect(abandonedVerify).rejects.toThrow('the caller left');
    expect(await single.verify('first', await first)).toBe(true);
  });
});
