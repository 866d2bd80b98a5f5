import { FaultlineError, isFaultlineError } from '#libs/errors';

/**
 * No node of the shard could do the work before the deadline: no primary was known or reachable, or it
 * stayed read-only (a promotion in progress), or every attempt failed with a connection error. `cause`
 * is the last error seen. A write may or may not have committed (its last attempt may have failed after
 * the commit): retry it only if it is idempotent.
 */
export class ShardUnavailableError extends FaultlineError<'SHARD_UNAVAILABLE'> {
  readonly code = 'SHARD_UNAVAILABLE' as const;

  constructor(
    readonly shardId: number,
    readonly operation: 'write' | 'read',
    readonly attempts: number,
    readonly elapsedMs: number,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message : options?.cause !== undefined ? String(options.cause) : 'no node answered';
    super(`shard ${shardId}: the ${operation} did not succeed within ${elapsedMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}): ${reason}`, options);
  }
}

export const isShardUnavailableError = (error: unknown): error is ShardUnavailableError => isFaultlineError(error, 'SHARD_UNAVAILABLE');

/** A shard id the router was not configured with (a programming error: ids come from `shardFor`). */
export class UnknownShardError extends FaultlineError<'UNKNOWN_SHARD'> {
  readonly code = 'UNKNOWN_SHARD' as const;

  constructor(
    readonly shardId: number,
    readonly knownShardIds: readonly number[],
  ) {
    super(`unknown shard ${shardId}; the shards are ${knownShardIds.join(', ')}`);
  }
}

export const isUnknownShardError = (error: unknown): error is UnknownShardError => isFaultlineError(error, 'UNKNOWN_SHARD');

/** The router was used after `close()`. */
export class ShardRouterClosedError extends FaultlineError<'SHARD_ROUTER_CLOSED'> {
  readonly code = 'SHARD_ROUTER_CLOSED' as const;

  constructor() {
    super('the shard router is closed');
  }
}

export const isShardRouterClosedError = (error: unknown): error is ShardRouterClosedError => isFaultlineError(error, 'SHARD_ROUTER_CLOSED');

/** `createShardRouter` was given options it cannot work with; every issue is listed. */
export class ShardRouterConfigError extends FaultlineError<'SHARD_ROUTER_CONFIG'> {
  readonly code = 'SHARD_ROUTER_CONFIG' as const;

  constructor(readonly issues: readonly string[]) {
    super(`invalid shard router options:\n${issues.map((issue) => `  ${issue}`).join('\n')}`);
  }
}

export const isShardRouterConfigError = (error: unknown): error is ShardRouterConfigError => isFaultlineError(error, 'SHARD_ROUTER_CONFIG');
