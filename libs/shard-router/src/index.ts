// Shard routing over pg_auto_failover shards: a stable key → shard hash, writes on the discovered
// primary with retries through failovers, replica reads with read-your-writes, metrics. See ../README.md.
export type { NodeHandle, ReadOptions, ReadResult, ShardRouter, WriteOptions, WriteResult } from './shard-router.js';
export {
  createShardRouter,
  shardRouterDefaults,
  type ShardRouterLog,
  type ShardRouterLogLevel,
  type ShardRouterOptions,
} from './create-shard-router.js';
export { jumpConsistentHash, keyHash64, shardForKey } from './shard-hash.js';
export {
  isShardRouterClosedError,
  isShardRouterConfigError,
  isShardUnavailableError,
  isUnknownShardError,
  ShardRouterClosedError,
  ShardRouterConfigError,
  ShardUnavailableError,
  UnknownShardError,
} from './shard-router.errors.js';
export { classifyNodeFailure, isPrimaryFailure, QUERY_TIMEOUT_CODE, sqlStateOf, type NodeFailure } from './pg-failure.js';
export { compareLsn, formatLsn, hasReplayed, isLsn, lsnDiff, parseLsn } from './lsn.js';
export { nodeDcsOf } from './node-dcs.js';
export { createAppShardRouter, type AppShardSettings, type RouterLogger } from './create-app-shard-router.js';
export type { EntityList } from './node-connection.js';
