import { describe, expect, it } from '@jest/globals';
import { buildHistory } from '../history/history.builder.js';
import { checkLostWrites } from './lost-writes.checker.js';
import { CLEAN_OPERATIONS, cleanHistory, cleanSnapshot, withEvents } from './testing/run.fixtures.js';
import { renamed } from './testing/store.fixtures.js';

describe('checkLostWrites', () => {
  it('passes a run whose every acknowledged write is in the log and its read model', () => {
    const result = checkLostWrites({ history: cleanHistory(), snapshot: cleanSnapshot() });
    expect(result).toMatchObject({ name: 'lost-acknowledged-writes', passed: true, violations: [] });
    expect(result.observed).toEqual({
      acknowledgedWrites: 4,
      missingFromLog: 0,
      missingFromProjection: 0,
      unidentifiable: 0,
      projectionUnchecked: 0,
      indefiniteApplied: 0,
      indefiniteNotApplied: 1,
    });
  });

  it('flags an acknowledged update missing from the log, with the invoke and the ok as witness', () => {
    const snapshot = withEvents(cleanSnapshot(), 0, (events) => events.filter((e) => e.type !== 'ProfileUpdated'));
    const history = cleanHistory();
    const result = checkLostWrites({ history, snapshot });
    expect(result.passed).toBe(false);
    expect(result.observed.missingFromLog).toBe(1);
    const [violation] = result.violations;
    expect(violation!.description).toContain('ProfileUpdated of user alice to name "alice-1"');
    expect(violation!.witness).toEqual(history.filter((e) => e.process === 0 && e.f === 'update'));
    expect(violation!.evidence).toEqual({ streamId: 'user-alice', found: [] });
  });

  it('flags a write that reached the log but not the read model (its row behind the event)', () => {
    const snapshot = { ...cleanSnapshot() };
    const stale = { ...snapshot, shards: snapshot.shards.map((s) => (s.shard === 0 ? { ...s, userProfiles: [{ ...s.userProfiles[0]!, version: 1, name: 'alice-0' }] } : s)) };
    const result = checkLostWrites({ history: cleanHistory(), snapshot: stale });
    expect(result.passed).toBe(false);
    expect(result.observed.missingFromProjection).toBe(1);
    expect(result.violations[0]).toMatchObject({
      description: expect.stringContaining('not in user_profiles: its row is at version 1'),
      evidence: { event: { streamId: 'user-alice', version: 2, type: 'ProfileUpdated' }, row: { version: 1 } },
    });
  });

  it('never flags an indefinite write, applied or not, nor a failed one', () => {
    const history = buildHistory([
      ...CLEAN_OPERATIONS,
      { process: 2, f: 'update', start: 200, end: 300, type: 'info', value: { userId: 'alice', name: 'alice-2' } },
      { process: 3, f: 'update', start: 200, end: 300, type: 'fail', value: { userId: 'alice', name: 'alice-9' }, error: { code: 'SHARD_UNAVAILABLE' } },
    ]);
    const snapshot = withEvents(cleanSnapshot(), 0, (events) => [...events, renamed('alice', 'alice-2', 3, { tx: 20 })]);
    const result = checkLostWrites({ history, snapshot });
    expect(result.passed).toBe(true);
    expect(result.observed).toMatchObject({ indefiniteApplied: 1, indefiniteNotApplied: 1, acknowledgedWrites: 4 });
  });

  it('flags an acknowledged write that carries nothing to look for, rather than passing it unchecked', () => {
    const history = buildHistory([{ process: 0, f: 'register', start: 0, end: 10, value: { name: 'x' } }]);
    const result = checkLostWrites({ history, snapshot: cleanSnapshot() });
    expect(result.passed).toBe(false);
    expect(result.observed.unidentifiable).toBe(1);
    expect(result.violations[0]!.witness).toHaveLength(2);
  });

  it('checks uploads against the log only when the snapshot has no media rows, and says so', () => {
    const snapshot = cleanSnapshot();
    const withoutMedia = { ...snapshot, shards: snapshot.shards.map(({ mediaItems: _, ...s }) => s) };
    const result = checkLostWrites({ history: cleanHistory(), snapshot: withoutMedia });
    expect(result.passed).toBe(true);
    expect(result.observed.projectionUnchecked).toBe(1);
  });

  it('uses a custom locator for writes the default does not know', () => {
    const history = buildHistory([{ process: 0, f: 'register', start: 0, end: 10, value: { userId: 'alice' } }]);
    const result = checkLostWrites({ history, snapshot: cleanSnapshot(), locate: () => ({ streamId: 'user-alice', description: 'anything', matches: (e) => e.version === 7 }) });
    expect(result.observed.missingFromLog).toBe(1);
  });
});
