/** What the sampler reads from a node to tell whether it could acknowledge a write right now. */
export interface CommitCapabilityRow {
  readonly in_recovery: boolean;
  /** `synchronous_standby_names`: '' when commits wait for no standby. */
  readonly sync_names: string;
  /** The server default of `synchronous_commit` (the apps do not change it per session). */
  readonly sync_commit: string;
  /** Standbys streaming with sync_state `sync` or `quorum`. */
  readonly sync_standbys: number;
  /**
   * Backends whose commit has waited for the synchronous standby for more than a second: the standby may
   * still look connected (a blackholed connection is noticed only after wal_sender_timeout), but it is not
   * confirming anything.
   */
  readonly stuck_commits: number;
}

export const COMMIT_CAPABILITY_SQL = `select pg_is_in_recovery() as in_recovery,
  current_setting('synchronous_standby_names') as sync_names,
  current_setting('synchronous_commit') as sync_commit,
  (select count(*)::int from pg_stat_replication where sync_state in ('sync', 'quorum')) as sync_standbys,
  (select count(*)::int from pg_stat_activity where wait_event = 'SyncRep' and now() - state_change > interval '1 second') as stuck_commits`;

/**
 * Could this node acknowledge a commit now? Out of recovery is not enough: a primary cut off from its
 * synchronous standby (by a partition) is still out of recovery, but every commit on it waits for the
 * standby and is never acknowledged — it cannot cause split brain, however long it stays writable on paper.
 * It can when commits wait for no standby (none named, or synchronous_commit off/local), or when a synchronous
 * standby is connected and no commit has been waiting for it for over a second.
 */
export function canAcknowledgeWrites(row: CommitCapabilityRow): boolean {
  if (row.in_recovery) return false;
  const waitsForStandby = row.sync_names.trim() !== '' && !['off', 'local'].includes(row.sync_commit);
  return !waitsForStandby || (row.sync_standbys > 0 && row.stuck_commits === 0);
}
