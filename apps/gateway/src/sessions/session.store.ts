import { createHash, randomBytes } from 'node:crypto';
import type { WriteToken } from '#libs/contracts';
import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../http/api.errors.js';
import type { ResolvedSession, Session } from './session.js';

const KEY_PREFIX = 'faultline:session:';

/** Tokens are 256 random bits; only their SHA-256 is stored, so a Redis dump reveals no usable token. */
const keyOf = (token: string): string => KEY_PREFIX + createHash('sha256').update(token).digest('base64url');

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions in Redis, shared by every gateway instance: the stateless tier. Each use slides the expiry.
 * Without Redis no session can be checked, so its failures surface as 503 (retry later), never as
 * "logged out".
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async create(userId: string): Promise<{ token: string; session: Session; expiresInSeconds: number }> {
    const token = randomBytes(32).toString('base64url');
    const session: Session = { userId, createdAt: new Date().toISOString() };
    await this.guard(this.redis.set(keyOf(token), JSON.stringify(session), 'EX', this.ttlSeconds));
    return { token, session, expiresInSeconds: this.ttlSeconds };
  }

  /** The session of a bearer token, its expiry renewed; undefined when unknown or expired. */
  async resolve(token: string): Promise<ResolvedSession | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const key = keyOf(token);
    const stored = await this.guard(this.redis.getex(key, 'EX', this.ttlSeconds));
    if (stored === null) return undefined;
    return { ...(JSON.parse(stored) as Session), key };
  }

  async recordWrite(session: ResolvedSession, write: WriteToken): Promise<void> {
    const { key, ...record } = session;
    // XX: a session deleted meanwhile (logout) stays deleted.
    await this.guard(this.redis.set(key, JSON.stringify({ ...record, lastWrite: write } satisfies Session), 'KEEPTTL', 'XX'));
  }

  async destroy(session: ResolvedSession): Promise<void> {
    await this.guard(this.redis.del(session.key));
  }

  private async guard<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch (error) {
      throw new ServiceUnavailableError('the session store is unavailable', 1, { cause: error });
    }
  }
}
