import { describe, expect, it } from '@jest/globals';
import { checkProjectionReplay } from './projection-replay.checker.js';
import type { StoreSnapshot, UserProfileRow } from './store-snapshot.js';
import { cleanSnapshot, withEvents } from './testing/run.fixtures.js';
import { profileRow, storedEvent } from './testing/store.fixtures.js';
import { userProfileProjection } from './user-profile.projection.js';

const withProfiles = (snapshot: StoreSnapshot, shard: number, edit: (rows: readonly UserProfileRow[]) => UserProfileRow[]): StoreSnapshot => ({
  ...snapshot,
  shards: snapshot.shards.map((s) => (s.shard === shard ? { ...s, userProfiles: edit(s.userProfiles) } : s)),
});

describe('checkProjectionReplay', () => {
  it('passes read models equal to the fold of their streams', () => {
    const result = checkProjectionReplay({ snapshot: cleanSnapshot() });
    expect(result).toMatchObject({ name: 'projections-match-replay', passed: true, violations: [] });
    expect(result.observed).toEqual({ rowsCompared: 3, missing: 0, unexpected: 0, differing: 0, unchecked: [] });
  });

  it('flags a row that differs from the replay, naming the fields and showing both versions of the row', () => {
    const snapshot = withProfiles(cleanSnapshot(), 0, () => [profileRow('alice', 'alice-0', 2)]);
    const result = checkProjectionReplay({ snapshot });
    expect(result.passed).toBe(false);
    expect(result.violations).toEqual([
      {
        description: 'user_profiles on shard 0: row alice differs from the replay in name',
        witness: [],
        evidence: { projection: 'user_profiles', shard: 0, key: 'alice', expected: profileRow('alice', 'alice-1', 2), actual: profileRow('alice', 'alice-0', 2) },
      },
    ]);
  });

  it('flags a missing row and a row no stream produces', () => {
    const snapshot = withProfiles(cleanSnapshot(), 1, () => [profileRow('mallory', 'm', 1)]);
    const result = checkProjectionReplay({ snapshot });
    expect(result.observed).toMatchObject({ missing: 1, unexpected: 1, differing: 0 });
    expect(result.violations.map((v) => v.description)).toEqual([
      'user_profiles on shard 1: no row for bob',
      'user_profiles on shard 1: row mallory is not produced by any stream',
    ]);
  });

  it('expects no row for a registration abandoned before it began', () => {
    const abandoned = storedEvent('user-zoe', 1, 'RegistrationAbandoned', { userId: 'zoe', email: 'z@example.org', abandonedAt: 'now' }, { tx: 70 });
    const result = checkProjectionReplay({ snapshot: withEvents(cleanSnapshot(), 0, (events) => [...events, abandoned]) });
    expect(result.passed).toBe(true);
  });

  it('compares with a fold given as a parameter', () => {
    const shouting = { ...userProfileProjection, fold: (events: Parameters<typeof userProfileProjection.fold>[0]) => {
      const row = userProfileProjection.fold(events);
      return row && { ...row, name: row.name.toUpperCase() };
    } };
    const result = checkProjectionReplay({ snapshot: cleanSnapshot(), projections: [shouting] });
    expect(result.observed.differing).toBe(2);
  });

  it('lists the read models the snapshot did not capture instead of passing them silently', () => {
    const snapshot = cleanSnapshot();
    const result = checkProjectionReplay({ snapshot: { ...snapshot, shards: snapshot.shards.map(({ mediaItems: _, ...s }) => s) } });
    expect(result.observed.unchecked).toEqual(['media_items@0', 'media_items@1']);
  });

  it('sees a media row whose deletion the read model missed', () => {
    const deleted = storedEvent('media-pic', 3, 'MediaDeleted', { mediaId: 'pic', ownerId: 'bob', deletedAt: 'now' }, { tx: 80 });
    const result = checkProjectionReplay({ snapshot: withEvents(cleanSnapshot(), 1, (events) => [...events, deleted]) });
    expect(result.violations.map((v) => v.description)).toEqual(['media_items on shard 1: row pic differs from the replay in version, deleted']);
  });
});
