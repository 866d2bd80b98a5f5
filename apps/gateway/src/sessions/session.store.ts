import type { WriteToken } from '#libs/contracts';
import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../http/api.errors.js';
import type { ResolvedSession, SessionRecord } from './session.js';
import type { SessionTokens } from './session-token.js';

const RECORD_PREFIX = 'faultline:session:';
const REVOKED_PREFIX = 'faultline:session-revoked:';
/** Recent revocations, scored by when they happened: what SessionRevocations re-announces. */
export const REVOCATION_LOG_KEY = 'faultline:session-revocations';

const secondsLeft = (expiresAt: number): number => Math.max(1, Math.ceil(expiresAt - Date.now() / 1000));

/**
 * Sessions: a signed token (SessionTokens) that every gateway of the lab can verify, plus a record in the
 * DC's Redis for what changes — the last write (read-your-writes) — and for revocation.
 *
 * Two data centers: a client the geo front moves to the other DC arrives with a token that DC's Redis has
 * never seen. The token is genuine and not revoked there, so the record is adopted (re-created) and the
 * client stays logged in; only the read-your-writes position is lost across the move. A logout deletes
 * the record and leaves a revocation marker in the local Redis at once, and SessionRevocations carries it to
 * the other DCs over NATS (repeating it for a while, to cover a partition). The trade-off: during a
 * partition longer than that repetition window a logged-out token may still be accepted in the other DC
 * until it expires — availability of sessions over instant global logout.
 *
 * Without Redis no session can be checked, so its failures surface as 503 (retry later), never as
 * "logged out".
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly tokens: SessionTokens,
    private readonly lifetimeSeconds: number,
  ) {}

  async create(userId: string): Promise<{ token: string; session: ResolvedSession; expiresInSeconds: number }> {
    const { token, claims } = this.tokens.issue(userId, this.lifetimeSeconds);
    const record: SessionRecord = { userId, createdAt: new Date().toISOString() };
    await this.guard(this.redis.set(RECORD_PREFIX + claims.sid, JSON.stringify(record), 'EX', this.lifetimeSeconds));
    return { token, session: { ...record, sid: claims.sid, expiresAt: claims.expiresAt }, expiresInSeconds: this.lifetimeSeconds };
  }

  /** The session of a bearer token; undefined when forged, expired or revoked. */
  async resolve(token: string): Promise<ResolvedSession | undefined> {
    const claims = this.tokens.verify(token);
    if (!claims) return undefined;
    const key = RECORD_PREFIX + claims.sid;
    // One command (MGET reads both keys atomically): the record, and the revocation marker if any.
    const [stored, revoked] = await this.guard(this.redis.mget(key, REVOKED_PREFIX + claims.sid));
    if (revoked !== null && revoked !== undefined) return undefined;
    if (typeof stored === 'string') return { ...(JSON.parse(stored) as SessionRecord), sid: claims.sid, expiresAt: claims.expiresAt };
    // Issued in another DC (or this Redis lost it): adopt it. NX: a concurrent adoption keeps the first record.
    const record: SessionRecord = { userId: claims.userId, createdAt: new Date().toISOString() };
    await this.guard(this.redis.set(key, JSON.stringify(record), 'EX', secondsLeft(claims.expiresAt), 'NX'));
    return { ...record, sid: claims.sid, expiresAt: claims.expiresAt };
  }

  async recordWrite(session: ResolvedSession, write: WriteToken): Promise<void> {
    const { sid, expiresAt, ...record } = session;
    // XX: a session deleted meanwhile (logout) stays deleted.
    await this.guard(this.redis.set(RECORD_PREFIX + sid, JSON.stringify({ ...record, lastWrite: write } satisfies SessionRecord), 'KEEPTTL', 'XX'));
  }

  /** Logs the session out in this DC at once; the caller announces it to the others. */
  async destroy(session: Pick<ResolvedSession, 'sid' | 'expiresAt'>): Promise<void> {
    await this.guard(
      this.redis
        .multi()
        .del(RECORD_PREFIX + session.sid)
        .set(REVOKED_PREFIX + session.sid, '1', 'EX', secondsLeft(session.expiresAt))
        .zadd(REVOCATION_LOG_KEY, Date.now(), `${session.sid}:${session.expiresAt}`)
        .exec(),
    );
  }

  /** A logout announced by another DC. */
  async applyRevocation(sid: string, expiresAt: number): Promise<void> {
    if (expiresAt <= Date.now() / 1000) return;
    await this.guard(this.redis.multi().del(RECORD_PREFIX + sid).set(REVOKED_PREFIX + sid, '1', 'EX', secondsLeft(expiresAt)).exec());
  }

  /** Revocations made here since `sinceMs`, as `{ sid, expiresAt }`; older entries are dropped from the log. */
  async recentRevocations(sinceMs: number): Promise<{ sid: string; expiresAt: number }[]> {
    const [, entries] = await Promise.all([
      this.guard(this.redis.zremrangebyscore(REVOCATION_LOG_KEY, '-inf', `(${sinceMs}`)),
      this.guard(this.redis.zrangebyscore(REVOCATION_LOG_KEY, sinceMs, '+inf')),
    ]);
    return entries.map((entry) => {
      const separator = entry.lastIndexOf(':');
      return { sid: entry.slice(0, separator), expiresAt: Number(entry.slice(separator + 1)) };
    });
  }

  private async guard<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch (error) {
      throw new ServiceUnavailableError('the session store is unavailable', 1, { cause: error });
    }
  }
}
