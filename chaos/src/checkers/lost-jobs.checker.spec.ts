import { describe, expect, it } from '@jest/globals';
import { buildHistory } from '../history/history.builder.js';
import { checkLostJobs } from './lost-jobs.checker.js';
import type { MailRow, StoreSnapshot } from './store-snapshot.js';
import { CLEAN_OPERATIONS, cleanHistory, cleanSnapshot, withEvents } from './testing/run.fixtures.js';
import { registered, storedEvent } from './testing/store.fixtures.js';

const mail = (userId: string, messageId = `welcome-${userId}`): MailRow => ({ messageId, userId, to: `${userId}@example.org` });
const thumbnail = (mediaId: string, tx: number) =>
  storedEvent(`media-${mediaId}`, 3, 'ThumbnailGenerated', { mediaId, contentType: 'image/webp', size: 9, sha256: 't', width: 256, height: 256, generatedAt: '2025-01-01T00:00:03.000Z' }, { tx, requestId: `thumbnail-${mediaId}` });

/** The clean run with its jobs done: alice's mail on shard 0, bob's on shard 1, bob's picture's thumbnail. */
function withJobsDone(snapshot: StoreSnapshot = cleanSnapshot(), mails: Record<number, MailRow[]> = { 0: [mail('alice')], 1: [mail('bob')] }): StoreSnapshot {
  const done = withEvents(snapshot, 1, (events) => [...events, thumbnail('pic', 20)]);
  return { ...done, shards: done.shards.map((s) => ({ ...s, mailOutbox: mails[s.shard] ?? [] })) };
}

describe('checkLostJobs', () => {
  it('passes when every registration has one welcome mail and every upload one thumbnail', () => {
    const result = checkLostJobs({ history: cleanHistory(), snapshot: withJobsDone() });
    expect(result).toMatchObject({ name: 'lost-jobs', passed: true, violations: [] });
    expect(result.observed).toEqual({
      jobs: 3,
      completed: 3,
      lost: 0,
      duplicated: 0,
      unchecked: 0,
      writesNotInLog: 0,
      byKind: { welcome: { jobs: 2, completed: 2, lost: 0, duplicated: 0, unchecked: 0 }, thumbnail: { jobs: 1, completed: 1, lost: 0, duplicated: 0, unchecked: 0 } },
    });
  });

  it('flags a registration whose welcome mail never arrived, with the register as witness', () => {
    const history = cleanHistory();
    const result = checkLostJobs({ history, snapshot: withJobsDone(cleanSnapshot(), { 0: [mail('alice')] }) });
    expect(result.passed).toBe(false);
    expect(result.observed).toMatchObject({ lost: 1, byKind: { welcome: { lost: 1, completed: 1 } } });
    const [violation] = result.violations;
    expect(violation!.description).toBe('acknowledged register of user bob: its welcome mail (job welcome-bob) was never sent');
    expect(violation!.witness).toEqual(history.filter((e) => e.process === 1 && e.f === 'register'));
    expect(violation!.evidence).toMatchObject({ jobId: 'welcome-bob', event: { streamId: 'user-bob', type: 'UserRegistered' }, mails: [] });
  });

  it('flags an upload whose thumbnail was never made', () => {
    const snapshot = withEvents(withJobsDone(), 1, (events) => events.filter((e) => e.type !== 'ThumbnailGenerated'));
    const result = checkLostJobs({ history: cleanHistory(), snapshot });
    expect(result.passed).toBe(false);
    expect(result.observed.byKind.thumbnail).toEqual({ jobs: 1, completed: 0, lost: 1, duplicated: 0, unchecked: 0 });
    expect(result.violations[0]!.description).toMatch(/^acknowledged upload of media pic: its thumbnail \(job thumbnail-pic\) was never made/);
  });

  it('flags a job that took effect twice: two mails for one user, two thumbnail appends for one upload', () => {
    const twice = withEvents(withJobsDone(cleanSnapshot(), { 0: [mail('alice'), mail('alice', 'welcome-alice-again')], 1: [mail('bob')] }), 1, (events) => [...events, { ...thumbnail('pic', 21), version: 4 }]);
    const result = checkLostJobs({ history: cleanHistory(), snapshot: twice });
    expect(result.passed).toBe(false);
    expect(result.observed).toMatchObject({ duplicated: 2, lost: 0 });
    expect(result.violations.map((v) => v.description)).toEqual([
      'acknowledged register of user alice: 2 welcome mails sent (welcome-alice, welcome-alice-again)',
      'acknowledged upload of media pic: 2 thumbnails appended (job thumbnail-pic took effect more than once)',
    ]);
  });

  it('owes the job of a write with an unknown outcome that was applied, found by its request id', () => {
    const operations = [
      ...CLEAN_OPERATIONS,
      { process: 2, f: 'register' as const, start: 200, end: 5200, type: 'info' as const, value: { requestId: 'r-c1', name: 'carol-0' }, error: { code: 'TIMEOUT' } },
    ];
    const applied = withEvents(withJobsDone(), 0, (events) => [...events, registered('carol', 'carol-0', { tx: 30, requestId: 'r-c1' })]);
    const result = checkLostJobs({ history: buildHistory(operations), snapshot: applied });
    expect(result.observed.byKind.welcome).toMatchObject({ jobs: 3, lost: 1 });
    expect(result.violations[0]!.description).toBe('register with an unknown outcome, applied of user carol: its welcome mail (job welcome-carol) was never sent');
    // Not applied: no job owed, nothing to flag.
    expect(checkLostJobs({ history: buildHistory(operations), snapshot: withJobsDone() }).passed).toBe(true);
  });

  it('owes no job for a write that is not in the log (a lost write: checker a), nor for a failed one', () => {
    const lost = withEvents(withJobsDone(), 1, (events) => events.filter((e) => e.streamId !== 'user-bob'));
    const result = checkLostJobs({ history: cleanHistory(), snapshot: { ...lost, shards: lost.shards.map((s) => ({ ...s, mailOutbox: s.shard === 0 ? [mail('alice')] : [] })) } });
    expect(result).toMatchObject({ passed: true, observed: { writesNotInLog: 1, jobs: 2 } });
    const failed = buildHistory(CLEAN_OPERATIONS.map((op) => (op.f === 'upload' ? { ...op, type: 'fail' as const } : op)));
    expect(checkLostJobs({ history: failed, snapshot: withJobsDone() }).observed.byKind.thumbnail.jobs).toBe(0);
  });

  it('counts welcome mails as unchecked when the mail sink was not collected, and a deleted media needs no thumbnail', () => {
    const deleted = withEvents(cleanSnapshot(), 1, (events) => [
      ...events,
      storedEvent('media-pic', 3, 'MediaDeleted', { mediaId: 'pic', ownerId: 'bob', deletedAt: '2025-01-01T00:00:04.000Z' }, { tx: 22 }),
    ]);
    const result = checkLostJobs({ history: cleanHistory(), snapshot: deleted });
    expect(result.passed).toBe(true);
    expect(result.observed).toMatchObject({ unchecked: 2, completed: 1, byKind: { welcome: { unchecked: 2 }, thumbnail: { completed: 1 } } });
  });
});
