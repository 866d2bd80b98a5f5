import { z } from 'zod';

/**
 * One line of a workload's history, Jepsen-style: a client process *invokes* an operation, then it
 * completes as `ok` (it happened), `fail` (it certainly did not happen) or `info` (unknown: a timeout, a
 * dropped connection — the write may or may not have been applied, so it is never counted as a failure).
 *
 * `time` is milliseconds since the run started on one monotonic clock (fault windows use the same clock).
 * `value` holds the inputs on the invoke and what the acknowledgement said on the completion; pairing
 * (completed-operations.ts) overlays the second on the first.
 */

/** What the workload does through the geo front. */
/** `fetch`: GET an uploaded media item's bytes through the entrypoint, which sends media reads to a CDN edge. */
export const OPERATION_KINDS = ['register', 'login', 'update', 'read', 'upload', 'fetch'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** Operations that append to a stream: checked for loss, duplication and read-your-writes. */
export const WRITE_KINDS: readonly OperationKind[] = ['register', 'update', 'upload'];
/** Operations whose answer reports a stream version (a profile read). Login reads too, but reports none. */
export const READ_KINDS: readonly OperationKind[] = ['read'];

export const isWriteKind = (f: OperationKind): boolean => WRITE_KINDS.includes(f);
export const isReadKind = (f: OperationKind): boolean => READ_KINDS.includes(f);

/**
 * Inputs and acknowledgements. The named fields are the ones the checkers read; anything else the workload
 * wants to keep (HTTP status, latency breakdown) is kept as is.
 * - `userId`: the user the operation is about (for an upload, the owner); `mediaId` for an upload.
 * - `name`, `email`: what a register or update wrote. The workload writes a unique name per write, which is
 *   how a write is found in the log (an update to the current name appends nothing).
 * - `requestId`: the Idempotency-Key sent. `version`: the stream version the answer reported.
 * - `shard`: the shard of the stream; `servedBy`: the node or gateway that answered; `source`: cache, replica, primary.
 * - `cache`: a fetch's `X-Cache` (the CDN edge's HIT, MISS, EXPIRED, STALE, UPDATING).
 */
export const operationValueSchema = z.looseObject({
  userId: z.string().min(1).optional(),
  mediaId: z.string().min(1).optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  requestId: z.string().min(1).optional(),
  version: z.number().int().nonnegative().optional(),
  shard: z.number().int().nonnegative().optional(),
  servedBy: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  cache: z.string().min(1).optional(),
  eventId: z.string().min(1).optional(),
});
export type OperationValue = z.infer<typeof operationValueSchema>;

/** Why an operation failed or is indefinite: the API's error code (or TIMEOUT, CONNECTION_RESET, …). */
export const operationErrorSchema = z.object({
  code: z.string().min(1),
  message: z.string().optional(),
  status: z.number().int().optional(),
});
export type OperationError = z.infer<typeof operationErrorSchema>;

const common = {
  process: z.number().int().nonnegative(),
  index: z.number().int().nonnegative(),
  time: z.number().nonnegative(),
  f: z.enum(OPERATION_KINDS),
  value: operationValueSchema,
};

export const historyEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), ...common }),
  z.object({ type: z.literal('ok'), ...common }),
  z.object({ type: z.literal('fail'), ...common, error: operationErrorSchema }),
  z.object({ type: z.literal('info'), ...common, error: operationErrorSchema }),
]);
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type InvokeEntry = Extract<HistoryEntry, { type: 'invoke' }>;
export type CompletionEntry = Exclude<HistoryEntry, InvokeEntry>;
export type CompletionType = CompletionEntry['type'];

/** An entry without some of its fields (distributes over the union, so narrowing on `type` still works). */
export type EntryWithout<K extends keyof HistoryEntry> = HistoryEntry extends infer E ? (E extends HistoryEntry ? Omit<E, K> : never) : never;
