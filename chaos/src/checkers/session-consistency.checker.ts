import { completedOperations, entriesOf, type CompletedOperation } from '../history/completed-operations.js';
import { isReadKind, isWriteKind, type HistoryEntry } from '../history/operation.js';
import { CHECKS, type CheckResult, type Violation } from './check-result.js';

export type SessionGuarantee = 'read-your-writes' | 'monotonic-reads';

/** Error codes of a read that found nothing: it observed version 0 (before the stream's first event). */
export const NOT_FOUND_CODES: readonly string[] = ['USER_NOT_FOUND', 'MEDIA_NOT_FOUND', 'NOT_FOUND'];

export interface SessionConsistencyInput {
  readonly history: readonly HistoryEntry[];
  /** The guarantees whose violations fail the check; by default none do (some faults cause them by design). */
  readonly failOn?: readonly SessionGuarantee[];
  readonly notFoundCodes?: readonly string[];
}

export interface SessionConsistencyObserved {
  readonly readsChecked: number;
  readonly readYourWrites: number;
  readonly monotonicReads: number;
}

/** The stream version an operation saw or wrote, with the operation. */
type Seen = { readonly version: number; readonly op: CompletedOperation };

/**
 * (e) Session guarantees, per client process and per object (a user, a media item): a read must not return
 * an older version than the process's own acknowledged write (read-your-writes) or than its own earlier read
 * (monotonic reads). A process runs one operation at a time, so "earlier" is simply its previous operations.
 * A register is version 1 (a stream's first event) when its acknowledgement reports no version.
 */
export function checkSessionConsistency({ history, failOn = [], notFoundCodes = NOT_FOUND_CODES }: SessionConsistencyInput): CheckResult<SessionConsistencyObserved> {
  const written = new Map<string, Seen>();
  const read = new Map<string, Seen>();
  const violations: { guarantee: SessionGuarantee; violation: Violation }[] = [];
  let readsChecked = 0;

  for (const op of completedOperations(history)) {
    const object = objectOf(op);
    if (object === undefined) continue;
    const key = `${op.process} ${object}`;
    if (isWriteKind(op.f) && op.type === 'ok') {
      const version = op.value.version ?? (op.f === 'register' ? 1 : undefined);
      if (version !== undefined && version > (written.get(key)?.version ?? -1)) written.set(key, { version, op });
      continue;
    }
    const version = isReadKind(op.f) ? versionRead(op, notFoundCodes) : undefined;
    if (version === undefined) continue;
    readsChecked++;
    const ownWrite = written.get(key);
    if (ownWrite && version < ownWrite.version) {
      violations.push(violation('read-your-writes', `process ${op.process} read ${object} at version ${version} after its write acknowledged version ${ownWrite.version}`, ownWrite.op, op));
    }
    const ownRead = read.get(key);
    if (ownRead && version < ownRead.version) {
      violations.push(violation('monotonic-reads', `process ${op.process} read ${object} at version ${version} after reading version ${ownRead.version}`, ownRead.op, op));
    }
    if (version > (ownRead?.version ?? -1)) read.set(key, { version, op });
  }

  const count = (guarantee: SessionGuarantee) => violations.filter((v) => v.guarantee === guarantee).length;
  return {
    name: CHECKS.sessionConsistency,
    passed: violations.every((v) => !failOn.includes(v.guarantee)),
    observed: { readsChecked, readYourWrites: count('read-your-writes'), monotonicReads: count('monotonic-reads') },
    expected: failOn.length === 0 ? 'violations counted and reported; none fails the run' : `no ${failOn.join(' or ')} violation`,
    violations: violations.map((v) => v.violation),
  };
}

/** The object an operation is about: its media item, else its user. */
function objectOf({ value }: CompletedOperation): string | undefined {
  if (value.mediaId !== undefined) return `media ${value.mediaId}`;
  if (value.userId !== undefined) return `user ${value.userId}`;
  return undefined;
}

function versionRead(op: CompletedOperation, notFoundCodes: readonly string[]): number | undefined {
  if (op.type === 'ok') return op.value.version;
  if (op.type === 'fail' && notFoundCodes.includes(op.error!.code)) return 0;
  return undefined;
}

const violation = (guarantee: SessionGuarantee, description: string, earlier: CompletedOperation, later: CompletedOperation) => ({
  guarantee,
  violation: { description, witness: [...entriesOf(earlier), ...entriesOf(later)] },
});
