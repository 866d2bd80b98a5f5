import { InvalidJobIdError } from './job.errors.js';

/** What a job id may contain: also a valid `requestId` of the contracts (letters, digits, `.`, `_`, `-`), at most 128 characters. */
const JOB_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The id of the job an event causes: `<kind>-<entity id>`, e.g. `thumbnail-<mediaId>`, `welcome-<userId>`.
 * Derived from the event, so a redelivered event names the same job and BullMQ adds nothing.
 *
 * BullMQ 6 refuses ids containing `:` ("Custom Id cannot contain :"; it is its key separator) and ids
 * that are integers (they would collide with its own counter), hence `-` as the separator. The id doubles
 * as the idempotency key (`requestId`) of what the processor asks other services to do.
 */
export function jobIdFor(kind: string, entityId: string): string {
  const id = `${kind}-${entityId}`;
  if (kind === '' || entityId === '' || !JOB_ID.test(id) || String(Number.parseInt(id, 10)) === id) throw new InvalidJobIdError(`not a valid job id: ${JSON.stringify(id)} (letters, digits, ".", "_", "-"; at most 128)`);
  return id;
}
