import { completedOperations, entriesOf, type CompletedOperation } from '../history/completed-operations.js';
import type { HistoryEntry } from '../history/operation.js';
import { CHECKS, type CheckResult, type Violation } from './check-result.js';
import { eventEvidence, eventsByStream, firstOfEachAppend, type LocatedEvent } from './located-event.js';
import type { MailRow, StoreSnapshot } from './store-snapshot.js';
import { eventsMatching, locateWorkloadWrite, type WriteLocator } from './write-locator.js';

export interface LostJobsInput {
  readonly history: readonly HistoryEntry[];
  readonly snapshot: StoreSnapshot;
  readonly locate?: WriteLocator;
}

export type JobKind = 'welcome' | 'thumbnail';

export interface JobCounts {
  /** Jobs the run's applied writes caused: one per registration (welcome mail), one per upload (thumbnail). */
  readonly jobs: number;
  readonly completed: number;
  /** Never completed: no mail in the sink, no ThumbnailGenerated in the media stream. */
  readonly lost: number;
  /** Completed more than once in effect: two mails for one user, two thumbnails appended for one upload. */
  readonly duplicated: number;
  /** Not checkable: the snapshot has no mail sink rows (not collected). */
  readonly unchecked: number;
}

export interface LostJobsObserved extends JobCounts {
  readonly byKind: Readonly<Record<JobKind, JobCounts>>;
  /** Acknowledged registrations/uploads that are not in the log at all: lost writes (checker a), no job owed. */
  readonly writesNotInLog: number;
}

/** The job that the event creating a user or a media item causes (the worker's ids: `welcome-<userId>`, `thumbnail-<mediaId>`). */
interface OwedJob {
  readonly kind: JobKind;
  readonly id: string;
  readonly entityId: string;
  readonly event: LocatedEvent;
  readonly operation: CompletedOperation;
}

const CREATING_EVENT: Readonly<Record<'register' | 'upload', { type: string; kind: JobKind; idField: string }>> = {
  register: { type: 'UserRegistered', kind: 'welcome', idField: 'userId' },
  upload: { type: 'MediaUploaded', kind: 'thumbnail', idField: 'mediaId' },
};

type Judgement = { readonly outcome: 'completed' | 'lost' | 'duplicated' | 'unchecked'; readonly violation?: Violation };

/**
 * (j) No lost job: every registration and every upload the run applied — acknowledged (ok), or of unknown
 * outcome (info) but found in the log — caused its job, and the job completed exactly once in effect: one
 * welcome mail for the user in the mail sink (any shard), one ThumbnailGenerated append in the media's stream
 * (none is fine for media deleted before its thumbnail: the job completes as skipped). The snapshot is taken
 * after the quiet period; the runner re-reads it for a while when jobs are missing, so "eventually" holds.
 * An acknowledged write missing from the log owes no job: that is a lost write, checker (a)'s finding.
 */
export function checkLostJobs({ history, snapshot, locate = locateWorkloadWrite }: LostJobsInput): CheckResult<LostJobsObserved> {
  const streams = eventsByStream(snapshot);
  const byRequest = new Map<string, LocatedEvent>();
  for (const located of [...streams.values()].flat()) {
    const { correlationId, type } = located.event;
    if (correlationId !== undefined && (type === 'UserRegistered' || type === 'MediaUploaded')) byRequest.set(`${type} ${correlationId}`, located);
  }

  const owed = new Map<string, OwedJob>();
  let writesNotInLog = 0;
  for (const operation of completedOperations(history)) {
    if ((operation.f !== 'register' && operation.f !== 'upload') || operation.type === 'fail') continue;
    const creating = CREATING_EVENT[operation.f];
    const expectation = locate(operation);
    // An info write carries no id (no answer came): its event is found by the request id that appended it.
    const event =
      (expectation ? eventsMatching(expectation, streams) : [])[0] ??
      (operation.value.requestId === undefined ? undefined : byRequest.get(`${creating.type} ${operation.value.requestId}`));
    const entityId = event?.event.data[creating.idField];
    if (!event || typeof entityId !== 'string') {
      if (operation.type === 'ok') writesNotInLog++;
      continue;
    }
    const id = `${creating.kind}-${entityId}`;
    if (!owed.has(id)) owed.set(id, { kind: creating.kind, id, entityId, event, operation });
  }

  const mails = mailsByUser(snapshot);
  const counts = { welcome: emptyCounts(), thumbnail: emptyCounts() };
  const violations: Violation[] = [];
  for (const job of owed.values()) {
    const judgement = job.kind === 'welcome' ? judgeWelcome(job, mails) : judgeThumbnail(job, streams.get(`media-${job.entityId}`) ?? []);
    const c = counts[job.kind];
    c.jobs++;
    c[judgement.outcome]++;
    if (judgement.violation) violations.push(judgement.violation);
  }

  const total = (key: keyof JobCounts) => counts.welcome[key] + counts.thumbnail[key];
  return {
    name: CHECKS.lostJobs,
    passed: violations.length === 0,
    observed: {
      jobs: total('jobs'),
      completed: total('completed'),
      lost: total('lost'),
      duplicated: total('duplicated'),
      unchecked: total('unchecked'),
      byKind: counts,
      writesNotInLog,
    },
    expected: 'every job of an applied registration or upload completed exactly once in effect (one welcome mail, one thumbnail)',
    violations,
  };
}

const emptyCounts = (): { -readonly [K in keyof JobCounts]: JobCounts[K] } => ({ jobs: 0, completed: 0, lost: 0, duplicated: 0, unchecked: 0 });

/** The sink's rows per user over every shard; undefined when no shard's sink was collected. */
function mailsByUser(snapshot: StoreSnapshot): Map<string, MailRow[]> | undefined {
  const collected = snapshot.shards.filter((s) => s.mailOutbox !== undefined);
  if (collected.length === 0) return undefined;
  const byUser = new Map<string, MailRow[]>();
  for (const row of collected.flatMap((s) => s.mailOutbox!)) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
  return byUser;
}

/** "acknowledged register" / "register with an unknown outcome (applied)": what the witness shows. */
const writeOf = (job: OwedJob): string => (job.operation.type === 'ok' ? `acknowledged ${job.operation.f}` : `${job.operation.f} with an unknown outcome, applied`);

function judgeWelcome(job: OwedJob, mails: Map<string, MailRow[]> | undefined): Judgement {
  if (!mails) return { outcome: 'unchecked' };
  const rows = mails.get(job.entityId) ?? [];
  if (rows.length === 1) return { outcome: 'completed' };
  const evidence = { jobId: job.id, event: eventEvidence(job.event), mails: rows.map(({ messageId, to }) => ({ messageId, to })) };
  const witness = entriesOf(job.operation);
  if (rows.length === 0) return { outcome: 'lost', violation: { description: `${writeOf(job)} of user ${job.entityId}: its welcome mail (job ${job.id}) was never sent`, witness, evidence } };
  return { outcome: 'duplicated', violation: { description: `${writeOf(job)} of user ${job.entityId}: ${rows.length} welcome mails sent (${rows.map((r) => r.messageId).join(', ')})`, witness, evidence } };
}

function judgeThumbnail(job: OwedJob, stream: readonly LocatedEvent[]): Judgement {
  const thumbnails = firstOfEachAppend(stream.filter(({ event }) => event.type === 'ThumbnailGenerated'));
  if (thumbnails.length === 1) return { outcome: 'completed' };
  if (thumbnails.length === 0 && stream.some(({ event }) => event.type === 'MediaDeleted')) return { outcome: 'completed' };
  const evidence = { jobId: job.id, event: eventEvidence(job.event), thumbnails: thumbnails.map(eventEvidence) };
  const witness = entriesOf(job.operation);
  if (thumbnails.length === 0) {
    return { outcome: 'lost', violation: { description: `${writeOf(job)} of media ${job.entityId}: its thumbnail (job ${job.id}) was never made: no ThumbnailGenerated in media-${job.entityId}`, witness, evidence } };
  }
  return { outcome: 'duplicated', violation: { description: `${writeOf(job)} of media ${job.entityId}: ${thumbnails.length} thumbnails appended (job ${job.id} took effect more than once)`, witness, evidence } };
}
