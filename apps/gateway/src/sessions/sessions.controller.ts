import { Controller, Delete, HttpCode, Inject, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { authenticateRequestSchema, USER_PATTERNS, type AuthenticateReply } from '#libs/contracts';
import type { FastifyRequest } from 'fastify';
import { ApiErrorFilter } from '../http/api-error.filter.js';
import { parseRequest } from '../http/parse-request.js';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { ServiceClient } from '../services/service-client.js';
import { SessionAuth } from './session-auth.js';
import { SessionRevocations } from './session-revocations.js';
import { SessionStore } from './session.store.js';

@Controller('v1/sessions')
@UseGuards(RateLimitGuard)
@UseFilters(ApiErrorFilter)
export class SessionsController {
  constructor(
    @Inject(ServiceClient) private readonly services: ServiceClient,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(SessionAuth) private readonly auth: SessionAuth,
    @Inject(SessionRevocations) private readonly revocations: SessionRevocations,
  ) {}

  /** Log in: `{ email, password }` → `{ token, userId, expiresInSeconds }`. */
  @Post()
  @HttpCode(201)
  async create(@Req() request: FastifyRequest) {
    const credentials = parseRequest(authenticateRequestSchema.strict(), request.body);
    const { userId } = await this.services.call<AuthenticateReply>(USER_PATTERNS.authenticate, credentials);
    const { token, expiresInSeconds } = await this.sessions.create(userId);
    return { token, tokenType: 'Bearer', userId, expiresInSeconds };
  }

  /** Log out: the token stops working on every gateway at once. */
  @Delete('current')
  @HttpCode(204)
  async destroy(@Req() request: FastifyRequest): Promise<void> {
    const session = await this.auth.require(request);
    await this.sessions.destroy(session);
    await this.revocations.announce(session.sid, session.expiresAt);
  }
}
