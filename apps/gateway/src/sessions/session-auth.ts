import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../http/api.errors.js';
import { bearerTokenOf } from './bearer-token.js';
import type { ResolvedSession } from './session.js';
import type { SessionStore } from './session.store.js';

/** The session a request's bearer token stands for, or 401. */
export class SessionAuth {
  constructor(private readonly sessions: SessionStore) {}

  async require(request: FastifyRequest): Promise<ResolvedSession> {
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) throw new UnauthenticatedError('this request needs a session: send "Authorization: Bearer <token>" from POST /v1/sessions');
    const session = await this.sessions.resolve(token);
    if (!session) throw new UnauthenticatedError('the session is unknown, expired or logged out: log in again with POST /v1/sessions');
    return session;
  }
}
