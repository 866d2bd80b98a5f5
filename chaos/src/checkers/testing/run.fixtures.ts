import { buildHistory, type OperationSpec } from '../../history/history.builder.js';
import type { HistoryEntry } from '../../history/operation.js';
import type { StoreSnapshot } from '../store-snapshot.js';
import { mediaRow, profileRow, registered, renamed, shardOf, snapshotOf, uploaded } from './store.fixtures.js';

/**
 * A small clean run both sides agree on: alice (shard 0) registers, renames herself and reads her profile;
 * bob (shard 1) registers and uploads a picture; bob's rename times out and was not applied (allowed).
 */
export const CLEAN_OPERATIONS: readonly OperationSpec[] = [
  { process: 0, f: 'register', start: 0, end: 40, value: { requestId: 'r-a1', name: 'alice-0', shard: 0 }, result: { userId: 'alice' } },
  { process: 1, f: 'register', start: 5, end: 50, value: { requestId: 'r-b1', name: 'bob-0', shard: 1 }, result: { userId: 'bob' } },
  { process: 0, f: 'update', start: 60, end: 90, value: { requestId: 'r-a2', userId: 'alice', name: 'alice-1', shard: 0 }, result: { version: 2 } },
  { process: 1, f: 'upload', start: 70, end: 120, value: { requestId: 'r-b2', userId: 'bob', shard: 1 }, result: { mediaId: 'pic', version: 2 } },
  { process: 0, f: 'read', start: 100, end: 110, value: { userId: 'alice', shard: 0 }, result: { version: 2, name: 'alice-1', source: 'replica' } },
  { process: 1, f: 'update', start: 130, end: 5130, type: 'info', value: { requestId: 'r-b3', userId: 'bob', name: 'bob-1', shard: 1 }, error: { code: 'TIMEOUT' } },
];

export const cleanHistory = (): HistoryEntry[] => buildHistory(CLEAN_OPERATIONS);

export const cleanSnapshot = (): StoreSnapshot =>
  snapshotOf(
    shardOf(0, [registered('alice', 'alice-0', { tx: 10, requestId: 'r-a1' }), renamed('alice', 'alice-1', 2, { tx: 12, key: 'upd:alice:r-a2', requestId: 'r-a2' })], [profileRow('alice', 'alice-1', 2)], []),
    shardOf(1, [registered('bob', 'bob-0', { tx: 11, requestId: 'r-b1' }), ...uploaded('pic', 'bob', { tx: 13, requestId: 'r-b2' })], [profileRow('bob', 'bob-0', 1)], [mediaRow('pic', 'bob', 2)]),
  );

/** The snapshot with one shard's events replaced (the other fields kept). */
export const withEvents = (snapshot: StoreSnapshot, shard: number, edit: (events: StoreSnapshot['shards'][number]['events']) => StoreSnapshot['shards'][number]['events']): StoreSnapshot => ({
  ...snapshot,
  shards: snapshot.shards.map((s) => (s.shard === shard ? { ...s, events: edit(s.events) } : s)),
});
