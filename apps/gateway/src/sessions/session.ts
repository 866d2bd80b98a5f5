import type { WriteToken } from '#libs/contracts';

/** What a DC's Redis keeps per session, beside what the token itself says. */
export interface SessionRecord {
  readonly userId: string;
  readonly createdAt: string;
  /** The session's latest write to its own profile: its next own-profile read waits for it. */
  readonly lastWrite?: WriteToken;
}

/** A session as a request sees it. */
export interface ResolvedSession extends SessionRecord {
  readonly sid: string;
  /** Seconds since the epoch when the token stops being accepted. */
  readonly expiresAt: number;
}
