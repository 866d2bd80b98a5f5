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
/** Genuine tokens remembered (see `verify`); beyond this many the oldest is forgotten. */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * `v1.<base64url claims>.<base64url HMAC-SHA256>`. A token is self-contained so a client moved to
 * another data center stays logged in even though that DC's Redis has never seen the session (see
 * SessionStore); the signature keeps it unforgeable, the expiry bounds how long a stolen or revoked
 * token can be used where the revocation has not arrived.
 */
export class SessionTokens {
  private readonly key: Buffer;
  /** Tokens whose signature checked out, with their claims: a client sends the same token with every request. */
  private readonly verified = new Map<string, SessionClaims>();

  constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8');
  }

  issue(userId: string, lifetimeSeconds: number, now = Date.now()): { token: string; claims: SessionClaims } {
    const claims: SessionClaims = { sid: randomBytes(16).toString('base64url'), userId, expiresAt: Math.floor(now / 1000) + lifetimeSeconds };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${VERSION}.${body}.${this.sign(body)}`, claims };
  }

  /**
   * The claims of a genuine, unexpired token; undefined for anything else. The signature of a token
   * already seen is not computed again (an HMAC per API call was a visible share of the gateway's time);
   * its expiry is checked every time.
   */
  verify(token: string, now = Date.now()): SessionClaims | undefined {
    let claims = this.verified.get(token);
    if (claims === undefined) {
      claims = this.genuineClaimsOf(token);
      if (claims === undefined) return undefined;
      if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    return claims.expiresAt > now / 1000 ? claims : undefined;
  }

  /** The claims of a token this secret signed, expired or not. */
  private genuineClaimsOf(token: string): SessionClaims | undefined {
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
    return claims;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`${VERSION}.${body}`).digest('base64url');
  }
}
