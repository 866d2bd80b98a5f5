import type { UserEvent, UserProfile } from '#libs/contracts';
import type { RecordedEvent } from '#libs/event-store';
import { userDecider, type User, type UserState } from '../domain/user.decider.js';
import type { ShardEvent } from './shard-event-stores.js';
import type { SqlRunner } from './sql-runner.js';
import { USER_PROFILES_TABLE } from './user.schema.js';

/**
 * The `user_profiles` read model: one row per registered user, holding the user stream folded (by the
 * domain's own `evolve`) and the version it reflects. Rows only move forward — every write is guarded by
 * `version <` — so applying the same or an older state again changes nothing, in any order.
 */

export const USER_PROFILES_PROJECTION = 'user_profiles';

/** A row, for authentication (with the hash) and for replies (`profile`, without it). */
export interface ProfileRecord {
  readonly profile: UserProfile;
  readonly passwordHash: string;
}

interface ProfileRow {
  user_id: string;
  email: string;
  name: string;
  password_hash: string;
  version: number;
  registered_at: Date;
  updated_at: Date;
}

const COLUMNS = 'user_id, email, name, password_hash, version, registered_at, updated_at';

export const profileOf = (user: User, version: number): UserProfile => ({
  id: user.id,
  email: user.email,
  name: user.name,
  version,
  registeredAt: user.registeredAt,
  updatedAt: user.updatedAt,
});

const recordOf = (row: ProfileRow): ProfileRecord => ({
  profile: {
    id: row.user_id,
    email: row.email,
    name: row.name,
    version: row.version,
    registeredAt: row.registered_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  },
  passwordHash: row.password_hash,
});

/** Writes the user as of `version`, unless the row already reflects that version or a later one. */
export async function saveUserProfile(sql: SqlRunner, user: User, version: number): Promise<void> {
  await sql.query(
    `INSERT INTO ${USER_PROFILES_TABLE} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id) DO UPDATE SET
       email = EXCLUDED.email, name = EXCLUDED.name, password_hash = EXCLUDED.password_hash,
       version = EXCLUDED.version, registered_at = EXCLUDED.registered_at, updated_at = EXCLUDED.updated_at
     WHERE ${USER_PROFILES_TABLE}.version < EXCLUDED.version`,
    [user.id, user.email, user.name, user.passwordHash, version, user.registeredAt, user.updatedAt],
  );
}

export async function findUserProfile(sql: SqlRunner, userId: string): Promise<ProfileRecord | undefined> {
  const rows = (await sql.query(`SELECT ${COLUMNS} FROM ${USER_PROFILES_TABLE} WHERE user_id = $1`, [userId])) as ProfileRow[];
  return rows[0] && recordOf(rows[0]);
}

const USER_STREAM = /^user-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const stateOf = ({ profile, passwordHash }: ProfileRecord): UserState => ({
  status: 'registered',
  user: { id: profile.id, email: profile.email, name: profile.name, passwordHash, registeredAt: profile.registeredAt, updatedAt: profile.updatedAt },
});

/**
 * Applies a slice of the log (in position order, as `readAll` returns it) to the rows: per user stream,
 * the current row is folded forward with the events after its version, and saved. Events of other streams
 * are skipped. Used by rebuild and catch-up; writes that append save the folded state directly.
 * Returns how many rows it wrote.
 */
export async function applyUserEvents(sql: SqlRunner, events: readonly RecordedEvent<ShardEvent>[]): Promise<number> {
  const byUser = new Map<string, RecordedEvent<UserEvent>[]>();
  for (const event of events) {
    const userId = USER_STREAM.exec(event.metadata.streamId)?.[1];
    if (userId === undefined) continue;
    const list = byUser.get(userId) ?? [];
    list.push(event as RecordedEvent<UserEvent>);
    byUser.set(userId, list);
  }
  if (byUser.size === 0) return 0;

  const rows = (await sql.query(`SELECT ${COLUMNS} FROM ${USER_PROFILES_TABLE} WHERE user_id = ANY($1::uuid[])`, [[...byUser.keys()]])) as ProfileRow[];
  const current = new Map(rows.map((row) => [row.user_id, recordOf(row)]));

  let written = 0;
  for (const [userId, userEvents] of byUser) {
    const record = current.get(userId);
    let state: UserState = record ? stateOf(record) : userDecider.initialState();
    let version = record?.profile.version ?? 0;
    const startVersion = version;
    for (const event of userEvents) {
      const eventVersion = event.metadata.version;
      if (eventVersion <= version) continue; // already in the row (written when it was appended)
      if (eventVersion !== version + 1) {
        // Versions are dense and the log is read in order: a gap means the row was lost after the
        // checkpoint passed it. Only a rebuild from the start can repair that.
        throw new Error(`user_profiles: ${userId} is at version ${version} but the log continues at ${eventVersion}; rebuild the projection`);
      }
      state = userDecider.evolve(state, event);
      version = eventVersion;
    }
    if (state.status === 'registered' && version > startVersion) {
      await saveUserProfile(sql, state.user, version);
      written++;
    }
  }
  return written;
}
