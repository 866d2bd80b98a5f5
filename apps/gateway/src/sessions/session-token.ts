import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a session token says about itself; signed, so any gateway of the lab can check it without asking anyone. */
export interface SessionClaims {
  /** The session's id: the key of its record and of its revocation. */
  readonly sid: string;
  readonly userId: string;
  /** Seconds since the epoch after which the token is refused, whatever any store says. */
  readonly expiresAt: number;
}

const VERSION = 'v1';

/**
 * `v1.<base64url claims>.<base64url HMAC-SHA256>`. A token is self-contained so a client moved to
 * another data center stays logged in even though that DC's Redis has never seen the session (see
 * SessionStore); the signature keeps it unforgeable, the expiry bounds how long a stolen or revoked
 * token can be used where the revocation has not arrived.
 */
export class SessionTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8');
  }

  issue(userId: string, lifetimeSeconds: number, now = Date.now()): { token: string; claims: SessionClaims } {
    const claims: SessionClaims = { sid: randomBytes(16).toString('base64url'), userId, expiresAt: Math.floor(now / 1000) + lifetimeSeconds };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${VERSION}.${body}.${this.sign(body)}`, claims };
  }

  /** The claims of a genuine, unexpired token; undefined for anything else. */
  verify(token: string, now = Date.now()): SessionClaims | undefined {
    const [version, body, signature, ...rest] = token.split('.');
    if (version !== VERSION || !body || !signature || rest.length > 0) return undefined;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: SessionClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionClaims;
    } catch {
      return undefined;
    }
    if (typeof claims.sid !== 'string' || typeof claims.userId !== 'string' || typeof claims.expiresAt !== 'number') return undefined;
    return claims.expiresAt > now / 1000 ? claims : undefined;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`${VERSION}.${body}`).digest('base64url');
  }
}
