import type { WriteToken } from '#libs/contracts';

/** What the shared store keeps per session; any gateway instance can serve it. */
export interface Session {
  readonly userId: string;
  readonly createdAt: string;
  /** The session's latest write to its own profile: its next own-profile read waits for it. */
  readonly lastWrite?: WriteToken;
}

/** A session as a request sees it: the record plus the key it is stored under. */
export interface ResolvedSession extends Session {
  readonly key: string;
}
