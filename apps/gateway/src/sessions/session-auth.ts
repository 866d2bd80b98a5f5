import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../http/api.errors.js';
import { bearerTokenOf } from './bearer-token.js';
import type { ResolvedSession } from './session.js';
import type { SessionStore } from './session.store.js';

const ignore = (): void => undefined;

/** The session a request's bearer token stands for, or 401. */
export class SessionAuth {
  /** Lookups started ahead of `require` (see `prefetch`), by request. */
  private readonly started = new WeakMap<object, Promise<ResolvedSession | undefined>>();

  constructor(private readonly sessions: SessionStore) {}

  /**
   * Starts looking the request's session up without waiting for it, so that the lookup's round trip to
   * Redis overlaps another one (the rate limit's, see RateLimitGuard); `require` then takes its result.
   * Does nothing for a request without a bearer token. Its failure surfaces in `require`, never here.
   */
  prefetch(request: FastifyRequest): void {
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined || this.started.has(request)) return;
    const lookup = this.sessions.resolve(token);
    // Handled here so a request refused before `require` (rate limited) leaves no unhandled rejection.
    lookup.catch(ignore);
    this.started.set(request, lookup);
  }

  async require(request: FastifyRequest): Promise<ResolvedSession> {
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) throw new UnauthenticatedError('this request needs a session: send "Authorization: Bearer <token>" from POST /v1/sessions');
    const session = await (this.started.get(request) ?? this.sessions.resolve(token));
    if (!session) throw new UnauthenticatedError('the session is unknown, expired or logged out: log in again with POST /v1/sessions');
    return session;
  }
}
