import { describe, expect, it } from '@jest/globals';
import { checkDuplicates } from './duplicates.checker.js';
import { cleanHistory, cleanSnapshot, withEvents } from './testing/run.fixtures.js';
import { registered, renamed, storedEvent } from './testing/store.fixtures.js';

describe('checkDuplicates', () => {
  it('passes a clean run, where an upload’s two events share one append and one key', () => {
    const result = checkDuplicates({ history: cleanHistory(), snapshot: cleanSnapshot() });
    expect(result).toMatchObject({ name: 'duplicated-effects', passed: true, violations: [] });
    expect(result.observed).toEqual({ duplicatedWrites: 0, reusedIdempotencyKeys: 0, repeatedSingletons: 0 });
  });

  it('flags an acknowledged update applied twice, once, with the operation as witness and one event of each append as evidence', () => {
    // The retry's append under the same key in another transaction: what idempotency must prevent.
    const again = renamed('alice', 'alice-1', 3, { tx: 30, key: 'upd:alice:r-a2', requestId: 'r-a2' });
    const history = cleanHistory();
    const result = checkDuplicates({ history, snapshot: withEvents(cleanSnapshot(), 0, (events) => [...events, again]) });
    expect(result.passed).toBe(false);
    expect(result.violations).toHaveLength(1);
    expect(result.observed).toEqual({ duplicatedWrites: 1, reusedIdempotencyKeys: 0, repeatedSingletons: 0 });
    expect(result.violations[0]!.witness).toEqual(history.filter((e) => e.process === 0 && e.f === 'update'));
    expect(result.violations[0]!.evidence).toEqual([
      expect.objectContaining({ version: 2, idempotencyKey: 'upd:alice:r-a2' }),
      expect.objectContaining({ version: 3, idempotencyKey: 'upd:alice:r-a2' }),
    ]);
  });

  it('flags one idempotency key used by appends to two streams, naming the operation behind it', () => {
    const stray = storedEvent('user-carol', 1, 'UserRegistered', { userId: 'carol', name: 'c' }, { tx: 40, key: 'user.register:bob:user', requestId: 'r-b1' });
    const history = cleanHistory();
    const result = checkDuplicates({ history, snapshot: withEvents(cleanSnapshot(), 1, (events) => [...events, stray]) });
    expect(result.observed.reusedIdempotencyKeys).toBe(1);
    expect(result.violations[0]!.description).toContain('user.register:bob:user used by 2 appends');
    expect(result.violations[0]!.witness).toEqual(history.filter((e) => e.process === 1 && e.f === 'register'));
  });

  it('flags a stream registered twice even when no key or operation ties the two appends together', () => {
    const twice = [
      storedEvent('user-dave', 1, 'UserRegistered', { userId: 'dave', name: 'd' }, { tx: 50 }),
      storedEvent('user-dave', 2, 'UserRegistered', { userId: 'dave', name: 'd' }, { tx: 51 }),
    ];
    const result = checkDuplicates({ history: [], snapshot: withEvents(cleanSnapshot(), 0, (events) => [...events, ...twice]) });
    expect(result.observed).toEqual({ duplicatedWrites: 0, reusedIdempotencyKeys: 0, repeatedSingletons: 1 });
    expect(result.violations[0]).toMatchObject({ description: 'user-dave holds UserRegistered 2 times', witness: [] });
  });

  it('counts a registration applied on two shards (the same key, two appends) as a duplicate', () => {
    const snapshot = withEvents(cleanSnapshot(), 1, (events) => [...events, registered('alice', 'alice-0', { tx: 10, requestId: 'r-a1' })]);
    const result = checkDuplicates({ history: cleanHistory(), snapshot });
    expect(result.passed).toBe(false);
    expect(result.violations).toHaveLength(1);
    expect(result.observed.duplicatedWrites).toBe(1);
  });
});
