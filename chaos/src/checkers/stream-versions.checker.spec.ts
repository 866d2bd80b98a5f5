import { describe, expect, it } from '@jest/globals';
import { checkStreamVersions } from './stream-versions.checker.js';
import { cleanHistory, cleanSnapshot, withEvents } from './testing/run.fixtures.js';
import { registered, renamed } from './testing/store.fixtures.js';

describe('checkStreamVersions', () => {
  it('passes streams whose versions run 1, 2, 3 in position order', () => {
    const result = checkStreamVersions({ snapshot: cleanSnapshot(), history: cleanHistory() });
    expect(result).toMatchObject({ name: 'stream-versions', passed: true, violations: [] });
    expect(result.observed).toEqual({ streams: 3, events: 5, gaps: 0, repeated: 0, decreasing: 0, onSeveralShards: 0 });
  });

  it('flags a gap with the two neighbouring events, and the operations behind them as witness', () => {
    const history = cleanHistory();
    const snapshot = withEvents(cleanSnapshot(), 0, (events) => [...events, renamed('alice', 'alice-4', 4, { tx: 20, requestId: 'r-a4' })]);
    const result = checkStreamVersions({ snapshot, history });
    expect(result.passed).toBe(false);
    expect(result.observed.gaps).toBe(1);
    expect(result.violations[0]).toMatchObject({
      description: 'user-alice on shard 0 jumps from version 2 to 4: 1 missing',
      evidence: [expect.objectContaining({ version: 2 }), expect.objectContaining({ version: 4 })],
    });
    // r-a2 (alice's update) appended version 2; nothing in the history sent r-a4.
    expect(result.violations[0]!.witness).toEqual(history.filter((e) => e.process === 0 && e.f === 'update'));
  });

  it('flags a stream that does not start at version 1', () => {
    const snapshot = withEvents(cleanSnapshot(), 0, (events) => [...events, renamed('erin', 'e', 3, { tx: 5 })]);
    const result = checkStreamVersions({ snapshot });
    expect(result.violations.map((v) => v.description)).toEqual(['user-erin on shard 0 starts at version 3: versions 1 to 2 are missing']);
  });

  it('flags a version held twice and a version going back as positions rise', () => {
    const snapshot = withEvents(cleanSnapshot(), 0, (events) => [
      ...events,
      renamed('alice', 'x', 2, { tx: 20 }),
      renamed('alice', 'y', 1, { tx: 21 }),
    ]);
    const result = checkStreamVersions({ snapshot });
    expect(result.observed).toMatchObject({ repeated: 1, decreasing: 1, gaps: 0 });
  });

  it('flags a stream found on two shards', () => {
    const snapshot = withEvents(cleanSnapshot(), 1, (events) => [...events, registered('alice', 'alice-0', { tx: 60 })]);
    const result = checkStreamVersions({ snapshot });
    expect(result.observed.onSeveralShards).toBe(1);
    expect(result.violations[0]!.description).toBe('user-alice is on shards 0, 1');
  });
});
